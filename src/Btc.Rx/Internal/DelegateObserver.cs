namespace Btc.Rx.Internal;

/// <summary>An observer from three delegates, so a sink with two inputs can tell them apart.</summary>
internal sealed class DelegateObserver<T>(Action<T> onNext, Action<Exception> onError, Action onCompleted) : IObserver<T>
{
    public void OnNext(T value) => onNext(value);

    public void OnError(Exception error) => onError(error);

    public void OnCompleted() => onCompleted();
}
