using Btc.Cli.Stages;
using Btc.Rx;

namespace Btc.Cli.Tests;

/// <summary>The zscore stage's moving input: records in order within their partition pass at once, repeats never.</summary>
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
    public void WithSeveralPartitions_ARecordBehindAnotherPartition_Passes_AndTheWatermarkIsThePartitionFurthestBehind()
    {
        _input.Expect([0, 1], _ => false);
        Assert.True(_input.Offer(("BTCUSDT", 5_000), partition: 0));
        Assert.True(_input.Offer(("ETHUSDT", 1_000), partition: 1));
        Assert.True(_input.Offer(("ETHUSDT", 2_000), partition: 1));
        Assert.True(_input.Offer(("BTCUSDT", 6_000), partition: 0));
        Assert.True(_input.Offer(("ETHUSDT", 7_000), partition: 1));

        Assert.Equal(["record (BTCUSDT, 5000)", "record (ETHUSDT, 1000)", "watermark 1000", "record (ETHUSDT, 2000)", "watermark 2000", "record (BTCUSDT, 6000)", "record (ETHUSDT, 7000)", "watermark 6000"], _seen);
    }

    [Fact]
    public void APartitionReadToItsEnd_DoesNotHoldTheWatermarkBack()
    {
        // A third partition for two symbols never gets a record; the second is read to its end.
        var readToEnd = new HashSet<int> { 2 };
        _input.Expect([0, 1, 2], readToEnd.Contains);
        _input.Offer(("BTCUSDT", 5_000), partition: 0);
        _input.Offer(("ETHUSDT", 1_000), partition: 1);
        Assert.Equal("watermark 1000", _seen[^1]);

        readToEnd.Add(1);
        _input.Offer(("BTCUSDT", 6_000), partition: 0);
        Assert.Equal("watermark 6000", _seen[^1]);
    }

    [Fact]
    public void WithSeveralPartitions_RepeatsAreRefusedWithinTheirPartition()
    {
        _input.Offer(("BTCUSDT", 5_000), partition: 0);
        _input.Offer(("ETHUSDT", 1_000), partition: 1);

        Assert.False(_input.Offer(("BTCUSDT", 4_000), partition: 0));
        Assert.False(_input.Offer(("ETHUSDT", 1_000), partition: 1));
        Assert.True(_input.Offer(("BNBUSDT", 1_000), partition: 1));
    }

    [Fact]
    public void PartitionsReadInAnyInterleaving_PassEveryRecord_NoneBehindTheWatermark_AndRefuseOnlyRepeats()
    {
        // A producer stage writes records in event-time order, each symbol to its partition, now and
        // then a repeat (a restart); the consumer reads whatever has been written, from partitions
        // in random order and runs, sometimes all of one before another.
        var random = new Random(11);
        for (int run = 0; run < 300; run++)
        {
            int partitions = random.Next(1, 5);
            var written = Enumerable.Range(0, partitions).Select(_ => new List<(string Symbol, long Timestamp, bool Repeat)>()).ToArray();
            var read = new int[partitions];
            var input = new InOrderInput<(string Symbol, long Timestamp, bool Repeat)>(r => r.Symbol, r => r.Timestamp);
            input.Expect(Enumerable.Range(0, partitions), p => read[p] == written[p].Count);
            long watermark = long.MinValue;
            var behind = new List<string>();
            input.Elements.Subscribe(e =>
            {
                if (!e.IsRecord)
                {
                    watermark = e.Watermark;
                }
                else if (e.Record.Timestamp < watermark)
                {
                    behind.Add($"{e.Record} behind {watermark}");
                }
            });

            long time = 0;
            int toWrite = 60;
            while (toWrite > 0 || Enumerable.Range(0, partitions).Any(p => read[p] < written[p].Count))
            {
                if (toWrite > 0 && random.Next(3) > 0)
                {
                    time += random.Next(3) * 100L;
                    int symbol = random.Next(partitions + 1);
                    int partition = symbol % partitions; // one partition may hold two symbols, another none
                    List<(string Symbol, long Timestamp, bool Repeat)> log = written[partition];
                    if (!log.Any(r => r.Symbol == $"S{symbol}" && r.Timestamp == time))
                    {
                        log.Add(($"S{symbol}", time, false));
                        toWrite--;
                    }

                    if (log.Count > 1 && random.Next(8) == 0)
                    {
                        log.Add(log[random.Next(log.Count - 1)] with { Repeat = true });
                    }

                    continue;
                }

                int[] unread = [.. Enumerable.Range(0, partitions).Where(p => read[p] < written[p].Count)];
                if (unread.Length == 0)
                {
                    continue;
                }

                int from = unread[random.Next(unread.Length)];
                for (int n = random.Next(1, 6); n > 0 && read[from] < written[from].Count; n--)
                {
                    var record = written[from][read[from]++];
                    Assert.Equal(!record.Repeat, input.Offer(record, from));
                }
            }

            Assert.Empty(behind);
        }
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
