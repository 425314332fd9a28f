using Btc.Rx.Internal;
using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>Maps each record to its moving statistics and passes watermarks through.</summary>
internal sealed class MovingStatisticsSink(IObserver<StreamElement<MovingStatistics>> downstream, WindowSet windows)
    : Sink<StreamElement<MovingStatistics>>(downstream), IObserver<StreamElement<PriceTick>>
{
    private readonly MovingStatisticsCalculator _calculator = new(windows);

    public void OnNext(StreamElement<PriceTick> value)
    {
        if (!value.IsRecord)
        {
            _calculator.AdvanceWatermark(value.Watermark);
            ForwardOnNext(StreamElement<MovingStatistics>.FromWatermark(value.Watermark));
            return;
        }

        MovingStatistics statistics;
        try
        {
            statistics = _calculator.Add(value.Record);
        }
        catch (InvalidOperationException error)
        {
            ForwardOnError(error);
            return;
        }

        ForwardOnNext(StreamElement<MovingStatistics>.FromRecord(statistics));
    }

    public void OnError(Exception error) => ForwardOnError(error);

    public void OnCompleted() => ForwardOnCompleted();
}
