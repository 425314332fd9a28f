using System.Runtime.CompilerServices;

namespace Btc.Rx.Records;

/// <summary>One <c>btc-price-moving</c> record: a symbol's mean and sample standard deviation over each window ending at a timestamp.</summary>
public sealed class MovingStatistics
{
    // Means then standard deviations. Up to six windows (the standard set) they live inside the
    // record itself, so the hot path allocates one object per record; more windows take an array.
    private const int InlineWindows = 6;
    private readonly double[]? _values;
    private InlineValues _inline;

    /// <summary>Creates a record.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An array's length differs from the window count.</exception>
    public MovingStatistics(string symbol, long timestamp, WindowSet windows, double[] means, double[] standardDeviations)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(standardDeviations);
        if (means.Length != windows.Count || standardDeviations.Length != windows.Count)
        {
            throw new ArgumentException("There must be one mean and one standard deviation per window.", nameof(means));
        }

        Symbol = symbol;
        Timestamp = timestamp;
        Windows = windows;
        _values = windows.Count > InlineWindows ? new double[2 * windows.Count] : null;
        means.CopyTo(Values);
        standardDeviations.CopyTo(Values[windows.Count..]);
    }

    /// <summary>A record whose values the caller fills through <see cref="Values"/> before publishing it.</summary>
    internal MovingStatistics(string symbol, long timestamp, WindowSet windows)
    {
        Symbol = symbol;
        Timestamp = timestamp;
        Windows = windows;
        _values = windows.Count > InlineWindows ? new double[2 * windows.Count] : null;
    }

    /// <summary>The symbol.</summary>
    public string Symbol { get; }

    /// <summary>The window end, in milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    /// <summary>The windows, in output order.</summary>
    public WindowSet Windows { get; }

    /// <summary>The mean price (<c>avg_price</c>) of window <paramref name="index"/>.</summary>
    public double Mean(int index) => Values[(uint)index < (uint)Windows.Count ? index : throw new ArgumentOutOfRangeException(nameof(index))];

    /// <summary>The sample standard deviation (<c>std_price</c>) of window <paramref name="index"/>; 0 for one price.</summary>
    public double StandardDeviation(int index) => Values[(uint)index < (uint)Windows.Count ? Windows.Count + index : throw new ArgumentOutOfRangeException(nameof(index))];

    /// <summary>The means, then the standard deviations, one per window each.</summary>
    internal Span<double> Values => _values ?? ((Span<double>)_inline)[..(2 * Windows.Count)];

    [InlineArray(2 * InlineWindows)]
    private struct InlineValues
    {
        private double _element;
    }
}
