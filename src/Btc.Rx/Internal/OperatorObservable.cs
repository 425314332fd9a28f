namespace Btc.Rx.Internal;

/// <summary>
/// An observable whose subscription creates one of our sinks. Unlike <c>Observable.Create</c> it does
/// not wrap the observer in Rx's auto-detach observer: our sinks already stop and dispose upstream on
/// the first terminal message, and skipping the wrapper removes a call per element on every hop.
/// </summary>
internal sealed class OperatorObservable<T>(Func<IObserver<T>, IDisposable> subscribe) : IObservable<T>
{
    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return subscribe(observer);
    }
}
