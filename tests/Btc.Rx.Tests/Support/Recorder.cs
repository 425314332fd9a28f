namespace Btc.Rx.Tests.Support;

/// <summary>Records what an observable delivered, for exact assertions.</summary>
internal sealed class Recorder<TValue> : IObserver<TValue>
{
    public List<TValue> Values { get; } = [];

    public Exception? Error { get; private set; }

    public bool Completed { get; private set; }

    public void OnNext(TValue value) => Values.Add(value);

    public void OnError(Exception error) => Error = error;

    public void OnCompleted() => Completed = true;
}

internal static class RecorderExtensions
{
    public static Recorder<TValue> Record<TValue>(this IObservable<TValue> source, out IDisposable subscription)
    {
        var recorder = new Recorder<TValue>();
        subscription = source.Subscribe(recorder);
        return recorder;
    }

    public static Recorder<TValue> Record<TValue>(this IObservable<TValue> source) => source.Record(out _);
}
