namespace Btc.Rx.Records;

/// <summary>One <c>btc-price-moving</c> record: a symbol's mean and sample standard deviation over each window ending at a timestamp.</summary>
public sealed class MovingStatistics
{
    // Means then standard deviations in one array: one allocation per record on the hot path.
    private readonly double[] _values;

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
        _values = [.. means, .. standardDeviations];
    }

    internal MovingStatistics(string symbol, long timestamp, WindowSet windows, double[] meansThenDeviations)
    {
        Symbol = symbol;
        Timestamp = timestamp;
        Windows = windows;
        _values = meansThenDeviations;
    }

    /// <summary>The symbol.</summary>
    public string Symbol { get; }

    /// <summary>The window end, in milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    /// <summary>The windows, in output order.</summary>
    public WindowSet Windows { get; }

    /// <summary>The mean price (<c>avg_price</c>) of window <paramref name="index"/>.</summary>
    public double Mean(int index) => _values[(uint)index < (uint)Windows.Count ? index : throw new ArgumentOutOfRangeException(nameof(index))];

    /// <summary>The sample standard deviation (<c>std_price</c>) of window <paramref name="index"/>; 0 for one price.</summary>
    public double StandardDeviation(int index) => _values[(uint)index < (uint)Windows.Count ? Windows.Count + index : throw new ArgumentOutOfRangeException(nameof(index))];
}
