using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>
/// Moving statistics for many symbols: one <see cref="SymbolWindows"/> per symbol. Kept apart from
/// Rx so every stage (in-process, file, Kafka) computes with the same code.
/// </summary>
internal sealed class MovingStatisticsCalculator(WindowSet windows)
{
    private readonly Dictionary<string, SymbolWindows> _symbols = new(StringComparer.Ordinal);
    // The last symbol's state: a stream of one symbol, or runs of one (a Kafka partition's batch),
    // skips hashing the symbol. Parsers share one string per symbol, so a reference check suffices.
    private string? _lastSymbol;
    private SymbolWindows? _lastState;

    public WindowSet Windows { get; } = windows;

    /// <summary>Bytes of window state held for <paramref name="symbol"/>, or 0 when it is unknown.</summary>
    public long StateBytes(string symbol) => _symbols.TryGetValue(symbol, out SymbolWindows? state) ? state.StateBytes : 0;

    /// <summary>Adds an accepted tick (ticks of a symbol in increasing event time) and returns its statistics.</summary>
    public MovingStatistics Add(in PriceTick tick)
    {
        SymbolWindows? state = _lastState;
        if (state is null || !ReferenceEquals(tick.Symbol, _lastSymbol))
        {
            if (!_symbols.TryGetValue(tick.Symbol, out state))
            {
                state = new SymbolWindows(Windows);
                _symbols.Add(tick.Symbol, state);
            }

            _lastSymbol = tick.Symbol;
            _lastState = state;
        }

        var statistics = new MovingStatistics(tick.Symbol, tick.Timestamp, Windows);
        Span<double> values = statistics.Values;
        state.Add(tick.Timestamp, tick.PriceUnits, values[..Windows.Count], values[Windows.Count..]);
        return statistics;
    }
}
