namespace Btc.Rx.Watermarks;

/// <summary>Options of <see cref="EventTimeObservable.AcceptInEventTime{T}(IObservable{T}, Func{T, string}, Func{T, long}, AcceptanceOptions{T}, System.Reactive.Concurrency.IScheduler)"/>.</summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class AcceptanceOptions<T>
{
    /// <summary>
    /// How far behind the largest accepted timestamp a record may be and still be accepted.
    /// </summary>
    /// <value>Default 10 seconds; zero or more, whole milliseconds.</value>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When set, an input that has received nothing for this long (read from the scheduler) moves its
    /// watermark past everything seen, so pending results become final without more data. Records at
    /// or before that point that arrive later count as late.
    /// </summary>
    /// <value>Default <see langword="null"/> (never); otherwise positive.</value>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// How far past the largest timestamp seen the watermark moves when the input is idle. Just past
    /// everything seen makes every record's own result final; a look-ahead over a horizon H needs the
    /// watermark H further to finalize its last results, at the price of counting records up to H
    /// after the idle point as late.
    /// </summary>
    /// <value>Default 1 ms; positive whole milliseconds.</value>
    public TimeSpan IdleAdvance { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Called, on the thread that delivered it, for each record dropped as late.</summary>
    public Action<LateRecord<T>>? OnLate { get; init; }

    /// <summary>Called, on the thread that delivered it, for each record dropped as a duplicate.</summary>
    public Action<DuplicateRecord<T>>? OnDuplicate { get; init; }

    internal long AllowedLatenessMs => (long)AllowedLateness.TotalMilliseconds;

    internal void Validate()
    {
        if (AllowedLateness < TimeSpan.Zero || AllowedLateness.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AllowedLateness), AllowedLateness, "Allowed lateness must be zero or more whole milliseconds.");
        }

        if (IdleAdvance <= TimeSpan.Zero || IdleAdvance.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleAdvance), IdleAdvance, "The idle advance must be positive whole milliseconds.");
        }

        if (IdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), idle, "The idle timeout must be positive.");
        }
    }
}
