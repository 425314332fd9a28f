using Btc.Rx.Internal;
using Btc.Rx.Records;

namespace Btc.Rx.LookAhead;

/// <summary>
/// For every price, the time to the first strictly higher and the first strictly lower price of the
/// same symbol within the horizon, each emitted as soon as it is final. Kept apart from Rx so every
/// stage computes with the same code.
/// </summary>
/// <remarks>
/// Per symbol and direction, the prices still waiting form a monotonic deque (waiting for a higher
/// price: non-increasing from oldest to newest), so a new price answers a run at the back and expiry
/// takes from the front: O(1) amortized per record. One queue across symbols, in event-time order,
/// finds what a watermark expires without visiting every symbol. Ticks must arrive in event-time
/// order with each tick final on arrival (the output of AcceptInEventTime): a tick at t' shows the
/// watermark is past t', which expires every price whose horizon ends before t'.
/// </remarks>
internal sealed class LookAheadScanner(long horizonMs, Action<LookAheadResult> emit, int sweepMinimumSymbols = SweepSchedule.DefaultMinimumKeys)
{
    private readonly SymbolStates<SymbolState> _symbols = new(symbol => new SymbolState(symbol), sweepMinimumSymbols);
    private readonly RingDeque<(SymbolState State, long Timestamp)> _byTime = new();
    private long _lastTimestamp = long.MinValue;

    public void Add(in PriceTick tick)
    {
        if (tick.Timestamp < _lastTimestamp)
        {
            throw new InvalidOperationException(
                $"Ticks must arrive in event-time order (got {tick.Timestamp} after {_lastTimestamp}); put AcceptInEventTime before LookAhead.");
        }

        _lastTimestamp = tick.Timestamp;
        SymbolState state = _symbols.GetOrAdd(tick.Symbol, out bool added);
        if (tick.Timestamp <= state.LastTimestamp)
        {
            throw new InvalidOperationException($"{tick.Symbol} has two ticks at {tick.Timestamp}; put AcceptInEventTime before LookAhead.");
        }

        state.LastTimestamp = tick.Timestamp;
        ExpireHorizonsBefore(tick.Timestamp);
        Answer(state.WaitingForHigher, tick, LookAheadDirection.Higher);
        Answer(state.WaitingForLower, tick, LookAheadDirection.Lower);
        // The watermark is past this tick, so a horizon ending exactly here is final too.
        ExpireHorizonsBefore(tick.Timestamp == long.MaxValue ? long.MaxValue : tick.Timestamp + 1);
        state.WaitingForHigher.PushBack((tick.Timestamp, tick.Price));
        state.WaitingForLower.PushBack((tick.Timestamp, tick.Price));
        _byTime.PushBack((state, tick.Timestamp));
        if (added && _symbols.IsSweepDue)
        {
            // A symbol whose every price has its answer holds nothing a later price needs: its next
            // price starts it afresh (ticks are in event-time order, so its last timestamp is behind).
            _symbols.Sweep(static s => s.WaitingForHigher.Count == 0 && s.WaitingForLower.Count == 0);
        }
    }

    /// <summary>Symbols with state (for tests: it stays bounded by the symbols with prices still waiting).</summary>
    internal int Symbols => _symbols.Count;

    /// <summary>Finalizes every price whose horizon ends before <paramref name="watermark"/> (t + horizon &lt; watermark).</summary>
    public void AdvanceWatermark(long watermark) => ExpireHorizonsBefore(watermark);

    /// <summary>The input ended: every waiting price is final with the horizon as its window.</summary>
    public void Complete()
    {
        while (_byTime.Count > 0)
        {
            (SymbolState state, long timestamp) = _byTime.PopFront();
            state.ExpireThrough(timestamp, horizonMs, emit);
        }
    }

    private void ExpireHorizonsBefore(long watermark)
    {
        if (watermark <= long.MinValue + horizonMs)
        {
            return;
        }

        long limit = watermark - horizonMs;
        while (_byTime.Count > 0 && _byTime.Front.Timestamp < limit)
        {
            (SymbolState state, long timestamp) = _byTime.PopFront();
            state.ExpireThrough(timestamp, horizonMs, emit);
        }
    }

    private void Answer(RingDeque<(long Timestamp, double Price)> waiting, in PriceTick tick, LookAheadDirection direction)
    {
        while (waiting.Count > 0 && (direction == LookAheadDirection.Higher ? waiting.Back.Price < tick.Price : waiting.Back.Price > tick.Price))
        {
            (long timestamp, _) = waiting.PopBack();
            emit(new LookAheadResult(tick.Symbol, timestamp, direction, tick.Timestamp - timestamp, Found: true));
        }
    }

    private sealed class SymbolState(string symbol)
    {
        public long LastTimestamp { get; set; } = long.MinValue;

        public RingDeque<(long Timestamp, double Price)> WaitingForHigher { get; } = new();

        public RingDeque<(long Timestamp, double Price)> WaitingForLower { get; } = new();

        public void ExpireThrough(long timestamp, long horizonMs, Action<LookAheadResult> emit)
        {
            Expire(WaitingForHigher, timestamp, LookAheadDirection.Higher, horizonMs, emit);
            Expire(WaitingForLower, timestamp, LookAheadDirection.Lower, horizonMs, emit);
        }

        private void Expire(RingDeque<(long Timestamp, double Price)> waiting, long timestamp, LookAheadDirection direction, long horizonMs, Action<LookAheadResult> emit)
        {
            while (waiting.Count > 0 && waiting.Front.Timestamp <= timestamp)
            {
                (long expired, _) = waiting.PopFront();
                emit(new LookAheadResult(symbol, expired, direction, horizonMs, Found: false));
            }
        }
    }
}
