using System.Reactive.Linq;
using Btc.Rx.LookAhead;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;
using Btc.Rx.Windows;
using CsCheck;

namespace Btc.Rx.Tests.Oracle;

/// <summary>Randomized: every operator's output equals the brute-force reference on generated inputs.</summary>
public class OperatorsAgainstOracleTest
{
    private static readonly WindowSet ShortWindows = WindowSet.Parse("1s,5s,30s,1m");

    [Fact]
    public void AllOperators_MatchTheOracle_ShortWindows() =>
        Scenario.Generator.Sample(s => Check(s, ShortWindows, horizonMs: 20_000), iter: 300);

    [Fact]
    public void AllOperators_MatchTheOracle_StandardWindowsAndShortHorizon() =>
        Scenario.Generator.Sample(s => Check(s, WindowSet.Standard, horizonMs: 2_000), iter: 150);

    internal static void Check(Scenario scenario, WindowSet windows, long horizonMs)
    {
        var reference = new ReferencePipeline(scenario.Arrivals, 10_000, windows, horizonMs);
        var late = new List<LateRecord<PriceTick>>();
        var duplicates = new List<DuplicateRecord<PriceTick>>();
        var acceptance = new AcceptanceOptions<PriceTick> { OnLate = late.Add, OnDuplicate = duplicates.Add };
        List<StreamElement<PriceTick>> accepted = [.. scenario.Arrivals.ToObservable().AcceptPrices(acceptance).ToEnumerable()];

        // Acceptance: the same records, in event-time order, and the same side outputs.
        List<PriceTick> acceptedTicks = [.. accepted.Where(e => e.IsRecord).Select(e => e.Record)];
        Assert.Equal(reference.Accepted.OrderBy(t => t.Timestamp).Select(t => (t.Symbol, t.Timestamp, t.Price)).Order(), acceptedTicks.Select(t => (t.Symbol, t.Timestamp, t.Price)).Order());
        Assert.Equal(acceptedTicks.Select(t => t.Timestamp).Order(), acceptedTicks.Select(t => t.Timestamp));
        Assert.Equal(reference.Late.Count, late.Count);
        Assert.Equal(reference.Duplicates.Count, duplicates.Count);

        // Moving statistics: one per accepted tick, exact to 1e-9.
        IObservable<StreamElement<PriceTick>> replay = accepted.ToObservable();
        List<MovingStatistics> moving = [.. replay.MovingStatistics(new MovingStatisticsOptions { Windows = windows }).Records().ToEnumerable()];
        Assert.Equal(acceptedTicks.Count, moving.Count);
        for (int i = 0; i < moving.Count; i++)
        {
            PriceTick tick = acceptedTicks[i];
            Assert.Equal((tick.Symbol, tick.Timestamp), (moving[i].Symbol, moving[i].Timestamp));
            for (int w = 0; w < windows.Count; w++)
            {
                ExactMath.AssertClose(reference.Mean(tick, w), moving[i].Mean(w), 1e-9, $"mean {windows.Name(w)} of {tick}");
                ExactMath.AssertClose(reference.StandardDeviation(tick, w), moving[i].StandardDeviation(w), 1e-9, $"std {windows.Name(w)} of {tick}");
            }
        }

        // Z-scores: the price joined with its own moving record (the whole price input arrives
        // before any moving record here, the most skewed order), exact to 1e-9.
        List<ZScores> zscores = [.. replay.ZScores(moving.Select(StreamElement<MovingStatistics>.FromRecord).ToObservable()).ToEnumerable()];
        Assert.Equal(acceptedTicks.Count, zscores.Count);
        var movingByKey = moving.ToDictionary(m => (m.Symbol, m.Timestamp));
        foreach (ZScores z in zscores)
        {
            PriceTick tick = acceptedTicks.Single(t => t.Symbol == z.Symbol && t.Timestamp == z.Timestamp);
            MovingStatistics m = movingByKey[(z.Symbol, z.Timestamp)];
            for (int w = 0; w < windows.Count; w++)
            {
                ExactMath.AssertClose(ReferencePipeline.ZScore(tick.Price, m.Mean(w), m.StandardDeviation(w)), z.Value(w), 1e-9, $"z {windows.Name(w)} of {tick}");
            }
        }

        // Look-ahead: exactly one higher and one lower result per accepted tick, as the scan says.
        List<LookAheadResult> results = [.. replay.LookAhead(new LookAheadOptions { Horizon = TimeSpan.FromMilliseconds(horizonMs) }).ToEnumerable()];
        Assert.Equal(2 * acceptedTicks.Count, results.Count);
        var byKey = results.ToDictionary(r => (r.Symbol, r.Timestamp, r.Direction));
        foreach (PriceTick tick in acceptedTicks)
        {
            foreach (LookAheadDirection direction in new[] { LookAheadDirection.Higher, LookAheadDirection.Lower })
            {
                var (ms, found) = reference.FirstBeyond(tick, direction);
                LookAheadResult actual = byKey[(tick.Symbol, tick.Timestamp, direction)];
                Assert.True((ms, found) == (actual.WindowMilliseconds, actual.Found), $"{direction} of {tick}: expected {ms} ms, got {actual.WindowMilliseconds} ms");
            }
        }
    }
}
