namespace Btc.Rx.LookAhead;

/// <summary>Options of <see cref="EventTimeObservable.LookAhead(IObservable{StreamElement{Records.PriceTick}}, LookAheadOptions?)"/>.</summary>
public sealed class LookAheadOptions
{
    /// <summary>How far ahead to look: a later price counts when t &lt; t' ≤ t + Horizon (both ends as written).</summary>
    /// <value>Default 20 seconds; positive, whole milliseconds.</value>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromSeconds(20);

    internal long HorizonMs => (long)Horizon.TotalMilliseconds;

    internal void Validate()
    {
        if (Horizon <= TimeSpan.Zero || Horizon.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Horizon), Horizon, "The horizon must be a positive whole number of milliseconds.");
        }
    }
}
