using Btc.Rx.Records;
using Btc.Rx.Tests.Support;
using CsCheck;

namespace Btc.Rx.Tests.Oracle;

/// <summary>A generated input: ticks in arrival order, with messy arrival, flat stretches, tiny spreads and duplicates.</summary>
internal sealed record Scenario(IReadOnlyList<PriceTick> Arrivals, int Style)
{
    // Price styles: cents near 1e5; steps of 1e-8 near 1e5 (tiny spreads); five decimals; mostly flat.
    private static readonly (long Base, long Step)[] Styles =
    [
        (10_000_000_000_000, 1_000_000),
        (9_999_999_999_990, 1),
        (123_456_000, 1_000),
        (6_543_210_000_000, 1_000_000),
    ];

    public static Gen<Scenario> Generator { get; } =
        from symbolCount in Gen.Int[1, 3]
        from style in Gen.Int[0, Styles.Length - 1]
        from steps in Gen.Select(
            Gen.Int[0, 2],
            Gen.OneOf(Gen.Int[0, 400], Gen.Int[1, 45_000]),
            Gen.Int[-3, 3],
            Gen.OneOf(Gen.Int[0, 2_000], Gen.Int[0, 16_000]),
            Gen.Int[0, 40]).Array[1, 250]
        select Build(symbolCount, style, steps);

    private static Scenario Build(int symbolCount, int style, (int Symbol, int Gap, int Step, int Delay, int Roll)[] steps)
    {
        (long baseUnits, long stepUnits) = Styles[style];
        var units = new long[symbolCount];
        var lastTimestamp = new long[symbolCount];
        Array.Fill(units, baseUnits);
        Array.Fill(lastTimestamp, long.MinValue);
        var events = new List<(long Arrival, int Sequence, PriceTick Tick)>();
        long clock = T.Base;
        foreach (var (symbolIndex, gap, step, delay, roll) in steps)
        {
            int s = symbolIndex % symbolCount;
            clock += gap;
            long timestamp = Math.Max(clock, lastTimestamp[s] + 1);
            clock = timestamp;
            lastTimestamp[s] = timestamp;
            bool flat = style == 3 && step != 3;
            units[s] = Math.Max(1, units[s] + (flat ? 0 : step * stepUnits));
            var tick = new PriceTick("S" + s, units[s] / (double)PriceTick.UnitsPerPrice, timestamp);
            events.Add((timestamp + delay, events.Count, tick));
            if (roll < 2)
            {
                long other = roll == 0 ? units[s] : units[s] + stepUnits;
                events.Add((timestamp + delay + 100, events.Count, new PriceTick(tick.Symbol, other / (double)PriceTick.UnitsPerPrice, timestamp)));
            }
        }

        return new Scenario([.. events.OrderBy(e => e.Arrival).ThenBy(e => e.Sequence).Select(e => e.Tick)], style);
    }

    public override string ToString() =>
        $"style {Style}: " + string.Join(", ", Arrivals.Select(t => $"{t.Symbol}@{t.Timestamp - T.Base}={t.PriceUnits}"));
}
