using Btc.Cli.Stages;
using Btc.Rx;

namespace Btc.Cli.Tests;

/// <summary>The zscore stage's moving input: in-order records pass at once, repeats never.</summary>
public class InOrderInputTest
{
    private readonly InOrderInput<(string Symbol, long Timestamp)> _input = new(r => r.Symbol, r => r.Timestamp);
    private readonly List<string> _seen = [];

    public InOrderInputTest() => _input.Elements.Subscribe(e => _seen.Add(e.ToString()));

    [Fact]
    public void EachRecord_PassesAtOnce_ThenTheWatermarkItSets()
    {
        Assert.True(_input.Offer(("BTCUSDT", 1_000)));
        Assert.Equal(["record (BTCUSDT, 1000)", "watermark 1000"], _seen);
    }

    [Fact]
    public void AnotherKeyAtTheSameTime_Passes_WithoutAnotherWatermark()
    {
        _input.Offer(("BTCUSDT", 1_000));
        Assert.True(_input.Offer(("ETHUSDT", 1_000)));
        Assert.True(_input.Offer(("BTCUSDT", 1_100)));

        Assert.Equal(["record (BTCUSDT, 1000)", "watermark 1000", "record (ETHUSDT, 1000)", "record (BTCUSDT, 1100)", "watermark 1100"], _seen);
    }

    [Fact]
    public void RepeatsAndOlderRecords_AreRefused()
    {
        _input.Offer(("BTCUSDT", 1_000));
        _input.Offer(("BTCUSDT", 1_100));

        Assert.False(_input.Offer(("BTCUSDT", 1_100)));
        Assert.False(_input.Offer(("BTCUSDT", 1_000)));
        Assert.False(_input.Offer(("ETHUSDT", 1_000)));
        Assert.Equal(4, _seen.Count);
    }

    [Fact]
    public void MatchesAnAcceptanceWithNoLateness_OnRandomStreams()
    {
        // The same records pass as through AcceptInEventTime with zero allowed lateness, which holds
        // each until a newer timestamp arrives (and releases what is left at the end).
        var random = new Random(7);
        for (int run = 0; run < 200; run++)
        {
            List<(string Symbol, long Timestamp)> stream = [.. Enumerable.Range(0, 40).Select(_ => ($"S{random.Next(3)}", random.Next(8) * 100L))];
            var input = new InOrderInput<(string Symbol, long Timestamp)>(r => r.Symbol, r => r.Timestamp);
            var passed = new List<(string, long)>();
            input.Elements.Subscribe(e => { if (e.IsRecord) { passed.Add(e.Record); } });
            foreach (var record in stream)
            {
                input.Offer(record);
            }

            var accepted = new List<(string, long)>();
            var source = new System.Reactive.Subjects.Subject<(string Symbol, long Timestamp)>();
            source.AcceptInEventTime(r => r.Symbol, r => r.Timestamp, new Btc.Rx.Watermarks.AcceptanceOptions<(string Symbol, long Timestamp)> { AllowedLateness = TimeSpan.Zero })
                .Subscribe(e => { if (e.IsRecord) { accepted.Add(e.Record); } });
            stream.ForEach(source.OnNext);
            source.OnCompleted();

            Assert.Equal(accepted, passed);
        }
    }
}
