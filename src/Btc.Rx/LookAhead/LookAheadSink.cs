using Btc.Rx.Internal;
using Btc.Rx.Records;

namespace Btc.Rx.LookAhead;

/// <summary>Runs a <see cref="LookAheadScanner"/> over an event-time stream of ticks.</summary>
internal sealed class LookAheadSink : Sink<LookAheadResult>, IObserver<StreamElement<PriceTick>>
{
    private readonly LookAheadScanner _scanner;

    public LookAheadSink(IObserver<LookAheadResult> downstream, long horizonMs)
        : base(downstream) => _scanner = new LookAheadScanner(horizonMs, ForwardOnNext);

    public void OnNext(StreamElement<PriceTick> value)
    {
        try
        {
            if (value.IsRecord)
            {
                _scanner.Add(value.Record);
            }
            else
            {
                _scanner.AdvanceWatermark(value.Watermark);
            }
        }
        catch (InvalidOperationException error)
        {
            ForwardOnError(error);
        }
    }

    public void OnError(Exception error) => ForwardOnError(error);

    public void OnCompleted()
    {
        _scanner.Complete();
        ForwardOnCompleted();
    }
}
