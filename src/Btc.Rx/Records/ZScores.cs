using System.Runtime.CompilerServices;

namespace Btc.Rx.Records;

/// <summary>One <c>btc-price-zscore</c> record: how many standard deviations a price lies from each window's mean.</summary>
public sealed class ZScores
{
    // Up to six windows (the standard set) the values live inside the record, so computing one
    // allocates one object; more windows take an array.
    private const int InlineWindows = 6;
    private readonly double[]? _values;
    private InlineValues _inline;

    /// <summary>Creates a record.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The array's length differs from the window count.</exception>
    public ZScores(string symbol, long timestamp, WindowSet windows, double[] values)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != windows.Count)
        {
            throw new ArgumentException("There must be one z-score per window.", nameof(values));
        }

        Symbol = symbol;
        Timestamp = timestamp;
        Windows = windows;
        _values = windows.Count > InlineWindows ? [.. values] : null;
        values.CopyTo(Values);
    }

    private ZScores(string symbol, long timestamp, WindowSet windows)
    {
        Symbol = symbol;
        Timestamp = timestamp;
        Windows = windows;
        _values = windows.Count > InlineWindows ? new double[windows.Count] : null;
    }

    /// <summary>The symbol.</summary>
    public string Symbol { get; }

    /// <summary>The price's timestamp, in milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    /// <summary>The windows, in output order.</summary>
    public WindowSet Windows { get; }

    /// <summary>The z-score (<c>zscore_price</c>) for window <paramref name="index"/>; exactly 0 where the window's standard deviation is 0.</summary>
    public double Value(int index) => Values[(uint)index < (uint)Windows.Count ? index : throw new ArgumentOutOfRangeException(nameof(index))];

    private Span<double> Values => _values ?? ((Span<double>)_inline)[..Windows.Count];

    /// <summary>
    /// Computes the z-scores of <paramref name="price"/> against <paramref name="statistics"/> with the
    /// same (symbol, timestamp): (price − mean) / std per window, and exactly 0 where std is 0.
    /// </summary>
    /// <remarks>
    /// The z-score is computed from the published doubles, so that every mode (in-process, file,
    /// Kafka, where the moving record arrives as JSON) produces identical bytes.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="statistics"/> is null.</exception>
    /// <exception cref="ArgumentException">The symbol or timestamp differs.</exception>
    public static ZScores Of(PriceTick price, MovingStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (!string.Equals(price.Symbol, statistics.Symbol, StringComparison.Ordinal) || price.Timestamp != statistics.Timestamp)
        {
            throw new ArgumentException("The price and the statistics must have the same symbol and timestamp.", nameof(statistics));
        }

        var zscores = new ZScores(price.Symbol, price.Timestamp, statistics.Windows);
        Span<double> values = zscores.Values;
        ReadOnlySpan<double> means = statistics.Values[..values.Length];
        ReadOnlySpan<double> deviations = statistics.Values[values.Length..];
        for (int i = 0; i < values.Length; i++)
        {
            double std = deviations[i];
            values[i] = std == 0 ? 0.0 : (price.Price - means[i]) / std;
        }

        return zscores;
    }

    [InlineArray(InlineWindows)]
    private struct InlineValues
    {
        private double _element;
    }
}
