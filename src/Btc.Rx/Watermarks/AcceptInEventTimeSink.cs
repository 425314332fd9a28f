using System.Reactive.Concurrency;
using Btc.Rx.Internal;

namespace Btc.Rx.Watermarks;

/// <summary>
/// Applies <see cref="EventTimeAcceptor{T}"/> to an observable and emits released records followed by
/// the watermark that released them. With an idle timeout, a scheduler timer finalizes a quiet input.
/// </summary>
internal sealed class AcceptInEventTimeSink<T> : Sink<StreamElement<T>>, IObserver<T>
{
    private readonly object _gate = new();
    private readonly EventTimeAcceptor<T> _acceptor;
    private readonly AcceptanceOptions<T> _options;
    private readonly IScheduler _scheduler;
    private readonly TimeSpan? _idleTimeout;
    private readonly long _idleAdvanceMs;
    private long _emittedWatermark = long.MinValue;
    private DateTimeOffset _lastArrival;
    private IDisposable? _idleTimer;
    private bool _done;

    public AcceptInEventTimeSink(IObserver<StreamElement<T>> downstream, Func<T, string> keySelector, Func<T, long> timestampSelector, AcceptanceOptions<T> options, IScheduler scheduler)
        : base(downstream)
    {
        _acceptor = new EventTimeAcceptor<T>(keySelector, timestampSelector, options.AllowedLatenessMs);
        _options = options;
        _scheduler = scheduler;
        _idleTimeout = options.IdleTimeout;
        _idleAdvanceMs = (long)options.IdleAdvance.TotalMilliseconds;
    }

    public void OnNext(T value)
    {
        // Rx delivers one message at a time, so only the idle timer, on another thread, needs the gate.
        if (_idleTimeout is null)
        {
            OnNextCore(value);
            return;
        }

        lock (_gate)
        {
            OnNextCore(value);
        }
    }

    private void OnNextCore(T value)
    {
        if (_done)
        {
            return;
        }

        try
        {
            switch (_acceptor.Offer(value, out long timestamp, out T earlier))
            {
                case Acceptance.Late:
                    _options.OnLate?.Invoke(new LateRecord<T>(value, timestamp, _acceptor.Watermark));
                    break;
                case Acceptance.Duplicate:
                    _options.OnDuplicate?.Invoke(new DuplicateRecord<T>(value, earlier));
                    break;
                default:
                    break;
            }
        }
        catch (Exception error)
        {
            // A selector or side-output callback threw: the stream fails, as in Rx's own operators.
            _done = true;
            ForwardOnError(error);
            return;
        }

        if (_idleTimeout is { } idle)
        {
            _lastArrival = _scheduler.Now;
            _idleTimer ??= _scheduler.Schedule(idle, OnIdleTimer);
        }

        EmitReleased();
    }

    public void OnError(Exception error)
    {
        lock (_gate)
        {
            _done = true;
            ForwardOnError(error);
        }
    }

    public void OnCompleted()
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            while (_acceptor.TryReleaseAtEnd(out T record))
            {
                ForwardOnNext(StreamElement<T>.FromRecord(record));
            }

            ForwardOnCompleted();
        }
    }

    protected override void OnDisposed()
    {
        lock (_gate)
        {
            _done = true;
            _idleTimer?.Dispose();
        }
    }

    private void OnIdleTimer()
    {
        lock (_gate)
        {
            _idleTimer = null;
            if (_done)
            {
                return;
            }

            TimeSpan quiet = _scheduler.Now - _lastArrival;
            TimeSpan idle = _idleTimeout!.Value;
            if (quiet < idle)
            {
                _idleTimer = _scheduler.Schedule(idle - quiet, OnIdleTimer);
                return;
            }

            if (_acceptor.AdvancePastAll(_idleAdvanceMs))
            {
                EmitReleased();
            }
        }
    }

    private void EmitReleased()
    {
        while (_acceptor.TryRelease(out T record))
        {
            ForwardOnNext(StreamElement<T>.FromRecord(record));
        }

        if (_acceptor.Watermark > _emittedWatermark)
        {
            _emittedWatermark = _acceptor.Watermark;
            ForwardOnNext(StreamElement<T>.FromWatermark(_emittedWatermark));
        }
    }
}
