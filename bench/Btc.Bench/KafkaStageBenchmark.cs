using System.CommandLine;
using System.Diagnostics;
using Btc.Cli;
using Btc.Cli.Kafka;
using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Confluent.Kafka;

namespace Btc.Bench;

/// <summary>
/// The Kafka stages on the development broker (librdkafka's mock cluster, in this process): records/s
/// of moving, zscore and bonus, each beside a raw consume → produce pass-through of the same records
/// over the same broker with the same client settings. Each is timed from start to the moment its
/// consumer group has committed the whole input (so output is flushed and acknowledged).
/// </summary>
internal static class KafkaStageBenchmark
{
    // The development broker keeps ~5 MB per partition; 40,000 prices (~3.6 MB) fit in one.
    private const int Records = 40_000;

    public static void Run(ResultTable table)
    {
        using var cluster = new MockCluster();
        foreach (string topic in (string[])[.. Topics.All, "pass-through"])
        {
            cluster.CreateTopic(topic, partitions: 1);
        }

        string bootstrap = cluster.BootstrapServers;
        Produce(bootstrap, Records);
        TimeSpan passThrough = PassThrough(bootstrap);
        table.AddRate("kafka stages", "raw consume → produce pass-through", Records, passThrough, "same broker, same client settings");
        foreach (string stage in (string[])["moving", "zscore", "bonus"])
        {
            TimeSpan elapsed = Stage(bootstrap, stage);
            table.AddRate("kafka stages", $"btc {stage}", Records, elapsed, $"{passThrough / elapsed:P0} of the pass-through; start-up included");
        }
    }

    private static void Produce(string bootstrap, int count)
    {
        var settings = new KafkaSettings { BootstrapServers = bootstrap };
        using var publisher = new KafkaPublisher(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        TopicWriter<PriceTick> prices = TopicWriters.Prices(publisher, Topics.Price);
        var walk = new Btc.Cli.Sources.SyntheticPrices(["BTCUSDT"], 1);
        long start = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (int i = 0; i < count; i++)
        {
            foreach (PriceTick tick in walk.At(start + (i * 100L)))
            {
                prices.Add(tick);
            }
        }

        publisher.Flush(CancellationToken.None);
    }

    private static TimeSpan PassThrough(string bootstrap)
    {
        var clock = Stopwatch.StartNew();
        var settings = new KafkaSettings { BootstrapServers = bootstrap };
        using var publisher = new KafkaPublisher(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using IConsumer<string?, byte[]> consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "pass-through",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset(Topics.Price, 0, Offset.Beginning));
        long last = -1;
        while (last < Records - 1)
        {
            ConsumeResult<string?, byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is { } message)
            {
                publisher.Publish("pass-through", message.Key, message.Value);
                last = result.Offset.Value;
            }
        }

        publisher.Flush(CancellationToken.None);
        consumer.Commit([new TopicPartitionOffset(Topics.Price, 0, last + 1)]);
        return clock.Elapsed;
    }

    private static TimeSpan Stage(string bootstrap, string stage)
    {
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        string[] args = [stage, "--bootstrap-servers", bootstrap, "--commit-interval", "100ms", "--idle-timeout", "1s"];
        Task<int> run = Task.Run(() => BtcCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, stop.Token));
        using IConsumer<Ignore, Ignore> probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "btc-" + stage, EnableAutoCommit = false })
            .SetLogHandler((_, _) => { }).Build();
        while (probe.Committed([new TopicPartition(Topics.Price, 0)], TimeSpan.FromSeconds(10)).Single().Offset.Value < Records)
        {
            if (run.IsCompleted)
            {
                throw new InvalidOperationException($"btc {stage} stopped early with exit code {run.Result}");
            }

            Thread.Sleep(10);
        }

        TimeSpan elapsed = clock.Elapsed;
        stop.Cancel();
        run.Wait();
        return elapsed;
    }
}
