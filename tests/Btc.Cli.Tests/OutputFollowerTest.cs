using Btc.Cli.Demo;
using Btc.Cli.Kafka;

namespace Btc.Cli.Tests;

/// <summary>
/// <c>demo --via-kafka</c> follows the pipeline's topics, which on a shared cluster others may write
/// to: a value btc did not write is copied to its file but left out of the view, never the demo's end.
/// </summary>
public sealed class OutputFollowerTest : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"btc-follower-{Guid.NewGuid():N}");

    [Fact]
    public void ForeignValues_AreWrittenToTheirFiles_AndLeftOutOfTheView()
    {
        using var cluster = new MockCluster();
        string[] foreign = ["not json", "[1, 2]", "{}", """{"higher_window": "soon", "lower_window": "soon", "timestamp": 7, "symbol": 1, "reason": 7}""", """{"symbol": "\ud800", "reason": "\udc00"}""", """{"symbol": null, "timestamp": null, "higher_window": 1, "lower_window": 1, "reason": null}"""];
        foreach (string topic in new[] { Topics.Price, Topics.Moving, Topics.ZScore, Topics.Higher, Topics.Lower, Topics.Rejected })
        {
            cluster.CreateTopic(topic, partitions: 1);
            KafkaTestClient.Produce(cluster.BootstrapServers, topic, foreign.Select(v => ("k", v)));
        }

        KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Higher, [("BTCUSDT", """{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "BTCUSDT", "higher_window": 0.3}""")]);
        KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Rejected, [("BTCUSDT", """{"stage": "moving", "reason": "late", "detail": "", "value": ""}""")]);

        var statistics = new DemoStatistics();
        using (var follower = new OutputFollower(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, _directory, statistics))
        {
            for (int i = 0; i < 20 && follower.Counts().Sum(c => c.Records) < (6 * foreign.Length) + 2; i++)
            {
                follower.Poll(TimeSpan.FromMilliseconds(500));
            }

            Assert.Equal((6 * foreign.Length) + 2, follower.Counts().Sum(c => c.Records));
        }

        Assert.Equal((1L, 0L, 1L), (statistics.Higher, statistics.Lower, statistics.Late));
        Assert.Equal(foreign.Length + 1, File.ReadAllLines(Path.Combine(_directory, Topics.Higher + ".jsonl")).Length);
    }

    [Fact]
    public void TopicsWithSeveralPartitions_AreFollowedWhole_AsTheyAppear()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic(Topics.Higher, partitions: 3);
        KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Higher, Enumerable.Range(0, 30).Select(i => ($"S{i}", $$"""{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "S{{i}}", "higher_window": 0.1}""")));
        var statistics = new DemoStatistics();
        using var follower = new OutputFollower(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, _directory, statistics);
        Poll(follower, 30);

        // A topic made once the follower runs, as the stages make theirs, is found too.
        cluster.CreateTopic(Topics.Lower, partitions: 2);
        KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Lower, Enumerable.Range(0, 10).Select(i => ($"S{i}", $$"""{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "S{{i}}", "lower_window": 0.1}""")));
        Poll(follower, 40);
        Assert.Equal((30L, 10L), (statistics.Higher, statistics.Lower));
    }

    private static void Poll(OutputFollower follower, long records)
    {
        for (int i = 0; i < 40 && follower.Counts().Sum(c => c.Records) < records; i++)
        {
            follower.Poll(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(records, follower.Counts().Sum(c => c.Records));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
