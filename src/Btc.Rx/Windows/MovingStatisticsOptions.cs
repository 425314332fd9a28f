using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>Options of <see cref="EventTimeObservable.MovingStatistics(IObservable{StreamElement{PriceTick}}, MovingStatisticsOptions?)"/>.</summary>
public sealed class MovingStatisticsOptions
{
    /// <summary>The windows to report, in output order.</summary>
    /// <value>Default <see cref="WindowSet.Standard"/>: 30s, 1m, 5m, 15m, 30m, 1h.</value>
    public WindowSet Windows { get; init; } = WindowSet.Standard;
}
