using Btc.Rx.LookAhead;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;
using Btc.Rx.Windows;

namespace Btc.Rx.Tests.Internal;

/// <summary>
/// Acceptance, moving statistics and the look-ahead drop the state of symbols that can no longer
/// matter. Each is run twice over streams where symbols come, go and come back: looking for such
/// symbols as often as possible, and never. The results must be the same, and the state bounded.
/// </summary>
public class ForgettingStateTest
{
    private const int Often = 2;
    private const int Never = int.MaxValue;

    [Fact]
    public void Acceptance_DecidesAndReleasesTheSame_WithBoundedKeys()
    {
        var random = new Random(41);
        var sweeping = new EventTimeAcceptor<(string Key, long Time, int Id)>(r => r.Key, r => r.Time, 10_000, Often);
        var keeping = new EventTimeAcceptor<(string Key, long Time, int Id)>(r => r.Key, r => r.Time, 10_000, Never);
        long clock = 0;
        int mostKeys = 0;
        (string Key, long Time, int Id) last = ("S0", 0, 0);
        for (int id = 0; id < 30_000; id++)
        {
            clock += random.Next(0, 400);
            // Mostly the symbols of the moment, sometimes an old one back, some records late or repeated.
            string key = Symbol(random, random.Next(20) == 0 ? random.Next(0, (id / 50) + 1) : (id / 50) + random.Next(0, 4));
            long time = clock - (random.Next(10) == 0 ? random.Next(0, 15_000) : 0);
            var record = random.Next(20) == 0 && id > 0 ? (last.Key, last.Time, id) : (key, time, id);
            last = record;
            Assert.Equal(keeping.Offer(record, out _, out var keptEarlier), sweeping.Offer(record, out _, out var sweptEarlier));
            Assert.Equal(keptEarlier, sweptEarlier);
            while (keeping.TryRelease(out var kept))
            {
                Assert.True(sweeping.TryRelease(out var swept));
                Assert.Equal(kept, swept);
            }

            Assert.False(sweeping.TryRelease(out _));
            mostKeys = Math.Max(mostKeys, sweeping.RememberedKeys);
        }

        // About 600 symbols over the run, a few dozen of them within the lateness at any time.
        Assert.True(keeping.RememberedKeys > 500, $"{keeping.RememberedKeys}");
        Assert.True(mostKeys < 200, $"{mostKeys}");
    }

    [Fact]
    public void MovingStatistics_AreTheSame_WithBoundedSymbols()
    {
        var random = new Random(42);
        var sweeping = new MovingStatisticsCalculator(WindowSet.Standard, Often);
        var keeping = new MovingStatisticsCalculator(WindowSet.Standard, Never);
        var lastSeen = new Dictionary<string, long>();
        int mostSymbols = 0, mostWithinAnHour = 0;
        foreach (PriceTick tick in ComingAndGoing(random, 40_000))
        {
            MovingStatistics kept = keeping.Add(tick);
            MovingStatistics swept = sweeping.Add(tick);
            Assert.Equal(kept.Values.ToArray(), swept.Values.ToArray());
            sweeping.AdvanceWatermark(tick.Timestamp);
            keeping.AdvanceWatermark(tick.Timestamp);
            mostSymbols = Math.Max(mostSymbols, sweeping.Symbols);
            lastSeen[tick.Symbol] = tick.Timestamp;
            mostWithinAnHour = Math.Max(mostWithinAnHour, lastSeen.Values.Count(t => t > tick.Timestamp - 3_600_000));
        }

        // A new symbol every 100 s for 11 hours, some coming back after more than an hour: the state
        // holds at most about twice the symbols seen within an hour, not every symbol.
        Assert.True(keeping.Symbols > 300, $"{keeping.Symbols}");
        Assert.True(mostSymbols <= (2 * mostWithinAnHour) + 1, $"{mostSymbols} symbols held, {mostWithinAnHour} seen within an hour");
        Assert.True(mostSymbols < keeping.Symbols / 2, $"{mostSymbols} of {keeping.Symbols}");
    }

    [Fact]
    public void LookAhead_AnswersTheSame_WithBoundedSymbols()
    {
        var random = new Random(43);
        var keptResults = new List<LookAheadResult>();
        var sweptResults = new List<LookAheadResult>();
        var sweeping = new LookAheadScanner(20_000, sweptResults.Add, Often);
        var keeping = new LookAheadScanner(20_000, keptResults.Add, Never);
        int mostSymbols = 0;
        foreach (PriceTick tick in ComingAndGoing(random, 40_000))
        {
            sweeping.Add(tick);
            keeping.Add(tick);
            mostSymbols = Math.Max(mostSymbols, sweeping.Symbols);
        }

        sweeping.Complete();
        keeping.Complete();
        Assert.Equal(keptResults, sweptResults);
        Assert.True(keeping.Symbols > 300, $"{keeping.Symbols}");
        Assert.True(mostSymbols < 40, $"{mostSymbols}");
    }

    // Half the time the one shared string of the symbol, as parsers hand it out (runs of it find the
    // operators' kept last entry without a lookup), half the time a string of its own (the lookup).
    private static string Symbol(Random random, int number) =>
        random.Next(2) == 0 ? string.Intern($"S{number}") : $"S{number}";

    // In event-time order, one tick a second: a new symbol every 100 ticks used for a while, and now
    // and then a symbol from long ago.
    private static IEnumerable<PriceTick> ComingAndGoing(Random random, int count)
    {
        long clock = 1_764_000_000_000;
        for (int i = 0; i < count; i++)
        {
            clock += 1000;
            string symbol = Symbol(random, random.Next(200) == 0 ? random.Next(0, (i / 100) + 1) : (i / 100) + random.Next(0, 3));
            yield return new PriceTick(symbol, 100 + (random.Next(0, 100) / 100.0), clock);
        }
    }
}
