namespace Btc.Rx.Internal;

/// <summary>
/// The base of our operators' sinks (Rx's own Sink is internal): it forwards to the downstream
/// observer until the first terminal message or disposal, after which everything is silenced and the
/// upstream subscriptions are disposed.
/// </summary>
internal abstract class Sink<TOut> : IDisposable
{
    private IObserver<TOut> _downstream;
    private readonly List<IDisposable> _upstream = [];
    private int _disposed;

    protected Sink(IObserver<TOut> downstream) => _downstream = downstream;

    protected bool IsStopped => Volatile.Read(ref _disposed) != 0;

    public void AddUpstream(IDisposable subscription)
    {
        lock (_upstream)
        {
            if (!IsStopped)
            {
                _upstream.Add(subscription);
                return;
            }
        }

        subscription.Dispose();
    }

    protected void ForwardOnNext(TOut value)
    {
        if (!IsStopped)
        {
            _downstream.OnNext(value);
        }
    }

    protected void ForwardOnError(Exception error)
    {
        IObserver<TOut> downstream = _downstream;
        if (!IsStopped)
        {
            Dispose();
            downstream.OnError(error);
        }
    }

    protected void ForwardOnCompleted()
    {
        IObserver<TOut> downstream = _downstream;
        if (!IsStopped)
        {
            Dispose();
            downstream.OnCompleted();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _downstream = NopObserver.Instance;
        IDisposable[] upstream;
        lock (_upstream)
        {
            upstream = [.. _upstream];
            _upstream.Clear();
        }

        foreach (IDisposable subscription in upstream)
        {
            subscription.Dispose();
        }

        OnDisposed();
    }

    protected virtual void OnDisposed()
    {
    }

    private sealed class NopObserver : IObserver<TOut>
    {
        public static readonly NopObserver Instance = new();

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(TOut value)
        {
        }
    }
}
