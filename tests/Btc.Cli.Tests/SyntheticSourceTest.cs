using System.Diagnostics;
using Btc.Cli.Sources;
using Btc.Rx.Records;

namespace Btc.Cli.Tests;

/// <summary>The synthetic source: every grid point, each with every symbol, and an end on time however slowly it is read.</summary>
public class SyntheticSourceTest
{
    private static readonly string[] ManySymbols = [.. Enumerable.Range(1, 100_000).Select(i => $"SYM{i}")];

    [Fact]
    public async Task EveryGridPoint_HasOnePricePerSymbol_WithNoHoles()
    {
        var source = new SyntheticSource(["A", "B", "C"], TimeSpan.FromMilliseconds(10), seed: 1, TimeSpan.FromMilliseconds(500));
        List<PriceTick> ticks = await ReadAll(source, CancellationToken.None);

        long[] points = [.. ticks.Select(t => t.Timestamp).Distinct()];
        Assert.Equal(source.Points, points.Length);
        Assert.InRange(points.Length, 30, 51);
        Assert.All(points.Zip(points.Skip(1)), p => Assert.Equal(10, p.Second - p.First));
        Assert.All(ticks.GroupBy(t => t.Timestamp), point => Assert.Equal(["A", "B", "C"], point.Select(t => t.Symbol)));
    }

    [Fact]
    public async Task AReaderSlowerThanTheGrid_StillEndsItAtItsDuration_AndTheRunSaysHowFarBehindItWas()
    {
        // 100,000 symbols every millisecond: a hundred million prices a second, far more than any
        // reader takes. The source went on generating the points it owed, past its duration, for
        // as long as the reader needed: a run of --duration 5s took 53 s.
        var source = new SyntheticSource(ManySymbols, TimeSpan.FromMilliseconds(1), seed: 1, TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        await ReadAll(source, CancellationToken.None);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
        Assert.Contains("s after its time: the prices were read slower than they were due", source.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_EndsIt_EvenWhenTheReaderIsFarBehind()
    {
        // Ctrl+C went unheard the same way, until the process was killed with its queue unsent.
        var source = new SyntheticSource(ManySymbols, TimeSpan.FromMilliseconds(1), seed: 1, duration: null);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        await ReadAll(source, stop.Token);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
    }

    // Reads every price (keeping the first thousand) slowly enough, a millisecond's pause per 1,000,
    // that a large source falls behind.
    private static async Task<List<PriceTick>> ReadAll(SyntheticSource source, CancellationToken cancellationToken)
    {
        var ticks = new List<PriceTick>();
        long read = 0;
        await foreach (PriceTick tick in source.ReadAsync(cancellationToken))
        {
            if (ticks.Count < 1_000)
            {
                ticks.Add(tick);
            }

            if (++read % 1_000 == 0)
            {
                Thread.Sleep(1);
            }
        }

        return ticks;
    }
}
