using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Btc.Rx.Internal;

/// <summary>
/// An operator's state per symbol: the table, the last symbol's entry kept beside it, and when to
/// look for symbols that can no longer matter (<see cref="SweepSchedule"/>). Acceptance, moving
/// statistics and the look-ahead each keep one.
/// </summary>
/// <remarks>
/// A stream of one symbol, or runs of one (a Kafka partition's batch), finds the last entry without
/// hashing the symbol. Parsers share one string per symbol, so a reference check finds a run; another
/// string with the same text takes the lookup.
/// </remarks>
internal sealed class SymbolStates<TState>(Func<string, TState> create, int sweepMinimumSymbols)
    where TState : class
{
    private readonly Dictionary<string, TState> _states = new(StringComparer.Ordinal);
    private SweepSchedule _sweep = new(sweepMinimumSymbols);
    private string? _lastSymbol;
    private TState? _lastState;

    public int Count => _states.Count;

    /// <summary>Whether the symbols have doubled since the last sweep (and reached the minimum).</summary>
    public bool IsSweepDue => _sweep.IsDue(_states.Count);

    /// <summary>The symbol's state, created (and <paramref name="added"/>) when the symbol is new.</summary>
    public TState GetOrAdd(string symbol, out bool added)
    {
        if (_lastState is { } last && ReferenceEquals(symbol, _lastSymbol))
        {
            added = false;
            return last;
        }

        ref TState? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_states, symbol, out bool existed);
        added = !existed;
        slot ??= create(symbol);
        (_lastSymbol, _lastState) = (symbol, slot);
        return slot;
    }

    public bool TryGetValue(string symbol, [MaybeNullWhen(false)] out TState state) => _states.TryGetValue(symbol, out state);

    /// <summary>Drops the states <paramref name="canGo"/> says no later record needs, and sets when to look next.</summary>
    public void Sweep(Func<TState, bool> canGo)
    {
        _sweep.Sweep(_states, canGo);
        (_lastSymbol, _lastState) = (null, null);
    }
}
