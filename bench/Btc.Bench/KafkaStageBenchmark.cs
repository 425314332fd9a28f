using System.CommandLine;
using System.Diagnostics;
using Btc.Cli;
using Btc.Cli.Kafka;
using Btc.Rx.Records;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Btc.Bench;

/// <summary>
/// The Kafka stages on the development broker (librdkafka's mock cluster, in this process): records/s
/// of moving, zscore and bonus, each beside a raw consume → produce pass-through of the same records
/// over the same broker with the same client settings. Both commit every 100 ms after flushing their
/// outputs, and both are timed from their first output record on the broker to the commit of the
/// whole input, so start-up (topic checks, group coordinator) is left out and the steady rate remains.
/// Each runs once untimed first (another consumer group), so what is timed is compiled code, as in a
/// stage that has been running for a while.
/// </summary>
internal static class KafkaStageBenchmark
{
    // The development broker keeps ~5 MB per partition; 40,000 prices (~3.6 MB) fit in one.
    private const int Records = 40_000;
    private const string PassThroughTopic = "pass-through";

    public static void Run(ResultTable table)
    {
        using var cluster = new MockCluster();
        foreach (string topic in (string[])[.. Topics.All, PassThroughTopic])
        {
            cluster.CreateTopic(topic, partitions: 1);
        }

        string bootstrap = cluster.BootstrapServers;
        Produce(bootstrap);
        Measure(bootstrap, "pass-through-warm-up", PassThroughTopic, stop => Task.Run(() => PassThrough(bootstrap, "pass-through-warm-up", stop)));
        var (passRecords, passTime) = Measure(bootstrap, "pass-through", PassThroughTopic, stop => Task.Run(() => PassThrough(bootstrap, "pass-through", stop)));
        table.AddRate("kafka stages", "raw consume → produce pass-through", passRecords, passTime, "same broker and client settings; from the first output to the last commit");
        double passRate = passRecords / passTime.TotalSeconds;
        foreach (var (stage, output) in (ReadOnlySpan<(string, string)>)[("moving", Topics.Moving), ("zscore", Topics.ZScore), ("bonus", Topics.Higher)])
        {
            Func<CancellationToken, Task> Run(string group) => stop => Task.Run(() => BtcCommand.Create()
                .Parse([stage, "--bootstrap-servers", bootstrap, "--commit-interval", "100ms", "--group-id", group])
                .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, stop));
            Measure(bootstrap, "warm-up-" + stage, output, Run("warm-up-" + stage));
            var (records, elapsed) = Measure(bootstrap, "btc-" + stage, output, Run("btc-" + stage));
            table.AddRate("kafka stages", $"btc {stage}", records, elapsed, $"{records / elapsed.TotalSeconds / passRate:P0} of the pass-through; target ≥ 50 %");
        }
    }

    private static void Produce(string bootstrap)
    {
        using var publisher = new KafkaPublisher(new KafkaSettings { BootstrapServers = bootstrap }, NullLogger.Instance);
        TopicWriter<PriceTick> prices = TopicWriters.Prices(publisher, Topics.Price);
        var walk = new Btc.Cli.Sources.SyntheticPrices(["BTCUSDT"], 1);
        long start = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (int i = 0; i < Records; i++)
        {
            foreach (PriceTick tick in walk.At(start + (i * 100L)))
            {
                prices.Add(tick);
            }
        }

        publisher.Flush(CancellationToken.None);
    }

    // Runs a consumer of btc-price under `group` until it has committed all of it; the window runs
    // from the first record on its output topic to that commit.
    private static (long Records, TimeSpan Elapsed) Measure(string bootstrap, string group, string output, Func<CancellationToken, Task> start)
    {
        using IConsumer<Ignore, Ignore> probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false })
            .SetLogHandler((_, _) => { }).Build();
        long outputBefore = probe.QueryWatermarkOffsets(new TopicPartition(output, 0), TimeSpan.FromSeconds(10)).High.Value;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        Task run = start(stop.Token);
        TimeSpan first = default;
        long committedAtFirst = -1;
        while (true)
        {
            long committed = probe.Committed([new TopicPartition(Topics.Price, 0)], TimeSpan.FromSeconds(10)).Single().Offset.Value;
            if (committedAtFirst < 0 && probe.QueryWatermarkOffsets(new TopicPartition(output, 0), TimeSpan.FromSeconds(10)).High.Value > outputBefore)
            {
                (first, committedAtFirst) = (clock.Elapsed, Math.Max(committed, 0));
            }

            if (committed >= Records)
            {
                break;
            }

            if (run.IsCompleted)
            {
                throw new InvalidOperationException($"{group} stopped early", run.Exception);
            }

            Thread.Sleep(5);
        }

        TimeSpan elapsed = clock.Elapsed - first;
        stop.Cancel();
        run.Wait();
        return (Records - committedAtFirst, elapsed);
    }

    private static void PassThrough(string bootstrap, string group, CancellationToken stop)
    {
        using var publisher = new KafkaPublisher(new KafkaSettings { BootstrapServers = bootstrap }, NullLogger.Instance);
        using IConsumer<string?, byte[]> consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            FetchWaitMaxMs = 10,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset(Topics.Price, 0, Offset.Beginning));
        var clock = Stopwatch.StartNew();
        long next = 0;
        long committed = 0;
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { Message: { } message } result)
            {
                publisher.Publish(PassThroughTopic, message.Key, message.Value);
                next = result.Offset.Value + 1;
            }

            if (next > committed && (clock.ElapsedMilliseconds >= 100 || next == Records))
            {
                publisher.Flush(CancellationToken.None);
                consumer.Commit([new TopicPartitionOffset(Topics.Price, 0, next)]);
                committed = next;
                clock.Restart();
            }
        }
    }
}
