using System.CommandLine;
using System.Text;
using Btc.Cli;
using Btc.Cli.Kafka;
using Confluent.Kafka;

namespace Btc.Bench;

/// <summary>
/// Latency at live pace: 100 symbols × 10 Hz through extract → moving → zscore over the development
/// broker, from a price's publication (its message timestamp) to its z-score's publication. The
/// semantics alone cost the allowed lateness: a price's statistics are final only once the watermark,
/// 10 s behind the newest price, has passed it.
/// </summary>
internal static class LatencyBenchmark
{
    public static void Run(ResultTable table, TimeSpan duration)
    {
        using var cluster = new MockCluster();
        foreach (string topic in Topics.All)
        {
            // Four partitions keep every topic of the run inside the broker's ~5 MB per partition.
            cluster.CreateTopic(topic, partitions: 4);
        }

        string bootstrap = cluster.BootstrapServers;
        using var stop = new CancellationTokenSource();
        Task<int> Start(params string[] args) =>
            Task.Run(() => BtcCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, stop.Token));
        Task<int>[] stages = [Start("moving", "--bootstrap-servers", bootstrap), Start("zscore", "--bootstrap-servers", bootstrap)];

        // Follow both topics while the run goes on: the broker drops old records.
        var published = new Dictionary<string, long>();
        var latencies = new List<double>();
        using IConsumer<Ignore, byte[]> follower = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "latency", EnableAutoCommit = false })
            .SetLogHandler((_, _) => { }).Build();
        follower.Assign([.. Enumerable.Range(0, 4).SelectMany(p => (TopicPartitionOffset[])[new(Topics.Price, p, Offset.Beginning), new(Topics.ZScore, p, Offset.Beginning)])]);
        Task<int> extract = Start("extract", "--source", "synthetic", "--symbols", "100", "--interval", "100ms", "--duration", Btc.Rx.Time.Duration.Format(duration), "--bootstrap-servers", bootstrap);
        DateTime end = DateTime.UtcNow + duration + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < end)
        {
            ConsumeResult<Ignore, byte[]>? result = follower.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is not { } message)
            {
                continue;
            }

            // Both values carry the key, the price's symbol and timestamp, in different field orders.
            string key = Key(Encoding.UTF8.GetString(result.Message.Value ?? []));
            long at = message.Timestamp.UnixTimestampMs;
            if (result.Topic == Topics.Price)
            {
                published[key] = at;
            }
            else if (published.TryGetValue(key, out long priceAt))
            {
                latencies.Add(at - priceAt);
            }
        }

        stop.Cancel();
        Task.WaitAll([extract, .. stages]);
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        string what = $"100 symbols × 10 Hz for {Btc.Rx.Time.Duration.Format(duration)}, {latencies.Count:N0} z-scores";
        table.Add("latency", "price published → z-score published, p50", $"{Percentile(0.50) / 1000:F3} s", what);
        table.Add("latency", "price published → z-score published, p99", $"{Percentile(0.99) / 1000:F3} s", "target ≤ 10.25 s; the allowed lateness (10 s) is the floor");
    }

    // price: {"symbol": "S", "price": …, "timestamp": "T"}; zscore: {"timestamp": "T", "symbol": "S", …}
    private static string Key(string value) => Field(value, "\"symbol\": \"") + "@" + Field(value, "\"timestamp\": \"");

    private static string Field(string value, string prefix)
    {
        int start = value.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        return value[start..value.IndexOf('"', start)];
    }
}
