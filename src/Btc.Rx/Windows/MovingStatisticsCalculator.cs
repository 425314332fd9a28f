using Btc.Rx.Internal;
using Btc.Rx.Records;

namespace Btc.Rx.Windows;

/// <summary>
/// Moving statistics for many symbols: one <see cref="SymbolWindows"/> per symbol. Kept apart from
/// Rx so every stage (in-process, file, Kafka) computes with the same code.
/// </summary>
internal sealed class MovingStatisticsCalculator(WindowSet windows, int sweepMinimumSymbols = SweepSchedule.DefaultMinimumKeys)
{
    private readonly SymbolStates<SymbolWindows> _symbols = new(_ => new SymbolWindows(windows), sweepMinimumSymbols);
    private readonly long _longestMs = windows.LengthsMs[windows.LongestIndex];

    public WindowSet Windows { get; } = windows;

    /// <summary>Symbols with state (for tests: it stays bounded by the symbols seen within the longest window).</summary>
    internal int Symbols => _symbols.Count;

    /// <summary>
    /// No tick before <paramref name="watermark"/> will come. A symbol whose newest tick is a whole
    /// longest window before it has nothing left in any window for a tick to come, so its state is
    /// the same as none and is dropped (looked for each time the symbols have doubled).
    /// </summary>
    public void AdvanceWatermark(long watermark)
    {
        if (!_symbols.IsSweepDue || watermark == long.MinValue)
        {
            return;
        }

        long limit = watermark < long.MinValue + _longestMs ? long.MinValue : watermark - _longestMs;
        _symbols.Sweep(state => state.LastTimestamp <= limit);
    }

    /// <summary>Bytes of window state held for <paramref name="symbol"/>, or 0 when it is unknown.</summary>
    public long StateBytes(string symbol) => _symbols.TryGetValue(symbol, out SymbolWindows? state) ? state.StateBytes : 0;

    /// <summary>Adds an accepted tick (ticks of a symbol in increasing event time) and returns its statistics.</summary>
    public MovingStatistics Add(in PriceTick tick)
    {
        SymbolWindows state = _symbols.GetOrAdd(tick.Symbol, out _);
        var statistics = new MovingStatistics(tick.Symbol, tick.Timestamp, Windows);
        Span<double> values = statistics.Values;
        state.Add(tick.Timestamp, tick.PriceUnits, values[..Windows.Count], values[Windows.Count..]);
        return statistics;
    }
}
