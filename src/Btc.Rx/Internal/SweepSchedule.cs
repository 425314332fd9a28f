namespace Btc.Rx.Internal;

/// <summary>
/// When an operator looks through its per-key state for keys that can no longer matter: each time
/// the number of keys has doubled since the last look (and reached a minimum). A stream of ever-new
/// keys (a bad feed inventing symbols) then costs O(1) amortized per key, and the state holds at most
/// about twice the keys that are still live instead of every key ever seen.
/// </summary>
internal struct SweepSchedule(int minimumKeys)
{
    /// <summary>The minimum the operators use: below it, keeping every key costs less than looking.</summary>
    public const int DefaultMinimumKeys = 1024;

    private readonly int _minimum = minimumKeys;
    private int _next = minimumKeys;

    public readonly bool IsDue(int keys) => keys >= _next;

    /// <summary>Removes the entries whose state <paramref name="canGo"/> says no later record needs, and sets when to look next.</summary>
    public void Sweep<TKey, TValue>(Dictionary<TKey, TValue> state, Func<TValue, bool> canGo)
        where TKey : notnull
    {
        foreach ((TKey key, TValue value) in state)
        {
            if (canGo(value))
            {
                state.Remove(key);
            }
        }

        _next = Math.Max(_minimum, state.Count > int.MaxValue / 2 ? int.MaxValue : 2 * state.Count);
    }
}
