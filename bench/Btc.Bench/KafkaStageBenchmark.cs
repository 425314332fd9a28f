using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Btc.Cli;
using Btc.Cli.Kafka;
using Btc.Rx.Records;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Btc.Bench;

/// <summary>
/// The Kafka stages on the development broker (librdkafka's mock cluster, in this process): input
/// records/s of moving, zscore and bonus, each beside a raw consume → produce pass-through of the
/// prices over the same broker: Confluent's consumer and producer in one loop, with btc's client
/// settings (the stages hand their produce calls to a thread of their own). Every run commits every 100 ms
/// after flushing its outputs and is timed by the creation times of its first and last output records,
/// so start-up (topic checks, group coordinator) and the wait for the last commit are left out and the
/// steady rate remains.
/// </summary>
/// <remarks>
/// One partition and one symbol, as the stages' semantics assume (with several partitions their
/// interleaving would make records late). The broker keeps about 5 MB per partition: 40,000 prices
/// fit; their moving records, five times larger, do not, so zscore joins the last 8,000 prices (a
/// topic of their own) with the moving records still stored; its input records are those prices and
/// moving records. (A pass-through of that input, 16,000 records, ends within about 30 ms: too short
/// to time.) The runs go in rounds, each round writing topics of its own; round 0 is not timed (it
/// compiles the code, as in a stage that has been running for a while), and each stage's share of the
/// pass-through is taken within a round, so a slow moment of the machine weighs on both sides of a ratio.
/// </remarks>
internal static class KafkaStageBenchmark
{
    private const int Records = 40_000;
    private const int Joined = 8_000;
    private const int TimedRounds = 7;
    private const string JoinedPrices = "btc-price-last-8000";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static void Run(ResultTable table)
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic(Topics.Price, 1);
        cluster.CreateTopic(JoinedPrices, 1);
        string bootstrap = cluster.BootstrapServers;
        Produce(bootstrap);

        string[] names = ["pass-through", "moving", "zscore", "bonus"];
        Dictionary<string, List<double>> rates = names.ToDictionary(n => n, _ => new List<double>());
        for (int round = 0; round <= TimedRounds; round++)
        {
            string Topic(string name) => $"{name}-{round}";
            foreach (string name in (string[])["pass-through", "moving", "zscore", "higher", "lower", "rejected"])
            {
                cluster.CreateTopic(Topic(name), 1);
            }

            string[] prices = [Topics.Price];
            string[] joined = [JoinedPrices, Topic("moving")];
            Contender[] runs =
            [
                new("pass-through", prices, Topic("pass-through"), PassThrough(bootstrap, prices, Topic("pass-through"))),
                new("moving", prices, Topic("moving"), Stage(bootstrap, "moving", "--topic-moving", Topic("moving"), "--topic-rejected", Topic("rejected"))),
                new("zscore", joined, Topic("zscore"), Stage(bootstrap, "zscore", "--topic-price", JoinedPrices, "--topic-moving", Topic("moving"), "--topic-zscore", Topic("zscore"))),
                new("bonus", prices, Topic("higher"), Stage(bootstrap, "bonus", "--topic-higher", Topic("higher"), "--topic-lower", Topic("lower"))),
            ];
            for (int i = 0; i < runs.Length; i++)
            {
                double rate = Measure(bootstrap, $"{round}-{i}", runs[i]);
                if (round > 0)
                {
                    rates[runs[i].Name].Add(rate);
                }
            }
        }

        string Rounds(IEnumerable<double> shares) => string.Join(", ", shares.Select(s => s.ToString("P0", CultureInfo.InvariantCulture)));
        table.Add("kafka stages", "raw consume → produce pass-through", Rate(rates["pass-through"]), $"{Records:N0} prices; median and range of {TimedRounds} rounds");
        foreach (string name in (string[])["moving", "zscore", "bonus"])
        {
            List<double> shares = [.. rates[name].Zip(rates["pass-through"], (s, p) => s / p)];
            string what = name == "zscore" ? $"the last {Joined:N0} prices and their moving records; " : "";
            table.Add("kafka stages", $"btc {name}", Rate(rates[name]), $"{what}{Median(shares):P0} of the pass-through (rounds: {Rounds(shares)}); target ≥ 50 %");
        }
    }

    private sealed record Contender(string Name, string[] Inputs, string Output, Func<string, CancellationToken, Task> Start);

    private static string Rate(List<double> rates) =>
        string.Create(CultureInfo.InvariantCulture, $"{Median(rates),10:N0} records/s ({rates.Min():N0}–{rates.Max():N0})");

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Func<string, CancellationToken, Task> Stage(string bootstrap, string stage, params string[] topics) =>
        (group, stop) => Task.Run(() => BtcCommand.Create()
            .Parse([stage, "--bootstrap-servers", bootstrap, "--commit-interval", "100ms", "--group-id", group, .. topics])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, stop));

    private static void Produce(string bootstrap)
    {
        using var publisher = new KafkaPublisher(new KafkaSettings { BootstrapServers = bootstrap }, NullLogger.Instance);
        TopicWriter<PriceTick> prices = TopicWriters.Prices(publisher, Topics.Price);
        TopicWriter<PriceTick> joined = TopicWriters.Prices(publisher, JoinedPrices);
        var walk = new Btc.Cli.Sources.SyntheticPrices(["BTCUSDT"], 1);
        long start = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (int i = 0; i < Records; i++)
        {
            foreach (PriceTick tick in walk.At(start + (i * 100L)))
            {
                prices.Add(tick);
                if (i >= Records - Joined)
                {
                    joined.Add(tick);
                }
            }
        }

        publisher.Flush(CancellationToken.None);
    }

    /// <summary>
    /// Runs a consumer of the run's inputs under <paramref name="group"/> until it has committed all of
    /// them, reading the creation times of its first and last output records: the records between them
    /// over that time, scaled by inputs per output (two a z-score, half a look-ahead record, one
    /// otherwise), is the rate in input records/s. The times are the producer's own (the moment each
    /// record was handed to it), so no polling interval blurs a 0.2 s run. The first record is the first
    /// one a reader started with the run gets (the broker may drop the oldest to keep its 5 MB).
    /// </summary>
    private static double Measure(string bootstrap, string group, Contender run)
    {
        using IConsumer<Ignore, Ignore> probe = TimestampReader(bootstrap, group);
        using IConsumer<Ignore, Ignore> firstReader = TimestampReader(bootstrap, group + "-first");
        var output = new TopicPartition(run.Output, 0);
        firstReader.Assign(new TopicPartitionOffset(output, Offset.Beginning));
        List<TopicPartition> inputs = [.. run.Inputs.Select(t => new TopicPartition(t, 0))];
        long inputCount = inputs.Sum(p => Stored(probe, p));
        using var stop = new CancellationTokenSource();
        Task task = run.Start(group, stop.Token);
        ConsumeResult<Ignore, Ignore>? first = null;
        while (probe.Committed(inputs, Timeout).Sum(c => Math.Max(c.Offset.Value, 0)) < inputCount)
        {
            first ??= firstReader.Consume(TimeSpan.Zero);
            if (task.IsCompleted)
            {
                throw new InvalidOperationException($"{run.Name} stopped early", task.Exception);
            }

            Thread.Sleep(10);
        }

        stop.Cancel();
        task.Wait();
        first ??= firstReader.Consume(Timeout) ?? throw new InvalidOperationException($"{run.Name}: no first record");
        long written = probe.QueryWatermarkOffsets(output, Timeout).High.Value;
        probe.Assign(new TopicPartitionOffset(output, written - 1));
        ConsumeResult<Ignore, Ignore> last = probe.Consume(Timeout) ?? throw new InvalidOperationException($"{run.Name}: no last record");
        long elapsedMs = last.Message.Timestamp.UnixTimestampMs - first.Message.Timestamp.UnixTimestampMs;
        if (elapsedMs <= 0)
        {
            throw new InvalidOperationException($"{run.Name} could not be timed (first output read at offset {first.Offset.Value})");
        }

        double outputsPerSecond = (written - 1 - first.Offset.Value) * 1000.0 / elapsedMs;
        return outputsPerSecond * inputCount / written;
    }

    // Earliest: when the broker has dropped a topic's oldest records to keep its 5 MB, "from the
    // beginning" is out of range, and the default reset (latest) left the first reader with nothing.
    private static IConsumer<Ignore, Ignore> TimestampReader(string bootstrap, string group) =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false, FetchWaitMaxMs = 10, AutoOffsetReset = AutoOffsetReset.Earliest })
            .SetLogHandler((_, _) => { }).Build();

    private static long Stored(IConsumer<Ignore, Ignore> probe, TopicPartition partition)
    {
        WatermarkOffsets offsets = probe.QueryWatermarkOffsets(partition, Timeout);
        return offsets.High.Value - offsets.Low.Value;
    }

    private static void Produce(IProducer<string?, byte[]> producer, string topic, Message<string?, byte[]> message, Action<DeliveryReport<string?, byte[]>> delivered)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, delivered);
                return;
            }
            catch (ProduceException<string?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private static Func<string, CancellationToken, Task> PassThrough(string bootstrap, string[] inputs, string output) =>
        (group, stop) => Task.Run(() =>
        {
            // Confluent's clients as any consumer → producer loop would use them, with btc's settings.
            var settings = new KafkaSettings { BootstrapServers = bootstrap };
            using IProducer<string?, byte[]> producer = new ProducerBuilder<string?, byte[]>(settings.ProducerConfig()).SetLogHandler((_, _) => { }).Build();
            long failed = 0;
            Action<DeliveryReport<string?, byte[]>> delivered = report =>
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failed);
                }
            };
            ConsumerConfig config = settings.ConsumerConfig(group);
            config.EnableAutoOffsetStore = false;
            config.IsolationLevel = IsolationLevel.ReadCommitted;
            using IConsumer<string?, byte[]> consumer = new ConsumerBuilder<string?, byte[]>(config).SetLogHandler((_, _) => { }).Build();
            consumer.Assign(inputs.Select(t => new TopicPartitionOffset(t, 0, Offset.Beginning)));
            var clock = Stopwatch.StartNew();
            var next = new Dictionary<string, long>();
            bool pending = false;
            while (!stop.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { Message: { } message } result)
                {
                    Produce(producer, output, new Message<string?, byte[]> { Key = message.Key, Value = message.Value }, delivered);
                    next[result.Topic] = result.Offset.Value + 1;
                    pending = true;
                }

                // As a stage does: flush, then commit, once per commit interval.
                if (pending && clock.ElapsedMilliseconds >= 100)
                {
                    producer.Flush(CancellationToken.None);
                    if (Interlocked.Read(ref failed) > 0)
                    {
                        throw new InvalidOperationException("the pass-through lost records");
                    }

                    consumer.Commit([.. next.Select(n => new TopicPartitionOffset(n.Key, 0, n.Value))]);
                    pending = false;
                    clock.Restart();
                }
            }
        });
}
