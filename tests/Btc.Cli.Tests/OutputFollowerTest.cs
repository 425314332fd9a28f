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
        var statistics = new DemoStatistics();
        using (var follower = new OutputFollower(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, _directory, statistics))
        {
            string[] foreign = ["not json", "[1, 2]", "{}", """{"higher_window": "soon", "lower_window": "soon", "timestamp": 7, "symbol": 1, "reason": 7}""", """{"symbol": "\ud800", "reason": "\udc00"}""", """{"symbol": null, "timestamp": null, "higher_window": 1, "lower_window": 1, "reason": null}"""];
            foreach (string topic in Topics.All)
            {
                cluster.CreateTopic(topic, partitions: 1);
                KafkaTestClient.Produce(cluster.BootstrapServers, topic, foreign.Select(v => ("k", v)));
            }

            KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Higher, [("BTCUSDT", """{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "BTCUSDT", "higher_window": 0.3}""")]);
            KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Rejected, [("BTCUSDT", """{"stage": "moving", "reason": "late", "detail": "", "value": ""}""")]);
            Poll(follower, (6 * foreign.Length) + 2);
            Assert.Equal(foreign.Length + 1, follower.Counts().Single(c => c.File.EndsWith(Topics.Higher + ".jsonl", StringComparison.Ordinal)).Records);
        }

        Assert.Equal((1L, 0L, 1L), (statistics.Higher, statistics.Lower, statistics.Late));
    }

    [Fact]
    public void TopicsWithSeveralPartitions_AreFollowedWhole_AsTheyAppear()
    {
        using var cluster = new MockCluster();
        var statistics = new DemoStatistics();
        using var follower = new OutputFollower(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, _directory, statistics);
        cluster.CreateTopic(Topics.Higher, partitions: 3);
        KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Higher, Enumerable.Range(0, 30).Select(i => ($"S{i}", Higher($"S{i}"))));
        Poll(follower, 30);

        // Another topic made later, as the stages make theirs while the demo starts, is found too.
        cluster.CreateTopic(Topics.Lower, partitions: 2);
        KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Lower, Enumerable.Range(0, 10).Select(i => ($"S{i}", $$"""{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "S{{i}}", "lower_window": 0.1}""")));
        Poll(follower, 40);
        Assert.Equal((30L, 10L), (statistics.Higher, statistics.Lower));
    }

    [Fact]
    public void WhatTheTopicsHeldBeforeTheFollowerStarted_IsAnEarlierRun_AndNotShown()
    {
        // A cluster of the user's, given to a second demo: the first demo's records are still there.
        using var cluster = new MockCluster();
        cluster.CreateTopic(Topics.Higher, partitions: 2);
        KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Higher, Enumerable.Range(0, 8).Select(i => ($"OLD{i}", Higher($"OLD{i}"))));
        var statistics = new DemoStatistics();
        using var follower = new OutputFollower(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, _directory, statistics);
        KafkaTestClient.Produce(cluster.BootstrapServers, Topics.Higher, Enumerable.Range(0, 6).Select(i => ($"NEW{i}", Higher($"NEW{i}"))));
        Poll(follower, 6);
        follower.Poll(TimeSpan.FromSeconds(1));
        Assert.Equal(6, follower.Counts().Sum(c => c.Records));
        Assert.All(File.ReadAllLines(Path.Combine(_directory, Topics.Higher + ".jsonl")), line => Assert.Contains("NEW", line, StringComparison.Ordinal));
    }

    private static string Higher(string symbol) => $$"""{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "{{symbol}}", "higher_window": 0.1}""";

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
