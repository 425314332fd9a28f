using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>
/// Moving statistics for many symbols: one <see cref="SymbolWindows"/> per symbol. Kept apart from
/// Rx so every stage (in-process, file, Kafka) computes with the same code.
/// </summary>
internal sealed class MovingStatisticsCalculator(WindowSet windows)
{
    private readonly Dictionary<string, SymbolWindows> _symbols = new(StringComparer.Ordinal);

    public WindowSet Windows { get; } = windows;

    /// <summary>Bytes of window state held for <paramref name="symbol"/>, or 0 when it is unknown.</summary>
    public long StateBytes(string symbol) => _symbols.TryGetValue(symbol, out SymbolWindows? state) ? state.StateBytes : 0;

    /// <summary>Adds an accepted tick (ticks of a symbol in increasing event time) and returns its statistics.</summary>
    public MovingStatistics Add(in PriceTick tick)
    {
        if (!_symbols.TryGetValue(tick.Symbol, out SymbolWindows? state))
        {
            state = new SymbolWindows(Windows);
            _symbols.Add(tick.Symbol, state);
        }

        var values = new double[2 * Windows.Count];
        state.Add(tick.Timestamp, tick.PriceUnits, values.AsSpan(0, Windows.Count), values.AsSpan(Windows.Count));
        return new MovingStatistics(tick.Symbol, tick.Timestamp, Windows, values);
    }
}
