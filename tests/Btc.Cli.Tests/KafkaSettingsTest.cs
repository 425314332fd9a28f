using Btc.Cli.Kafka;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>The client settings every stage starts from, and that <c>--kafka-config</c> can override.</summary>
public class KafkaSettingsTest
{
    [Fact]
    public void ConsumerConfig_FetchesForAStreamProcessor()
    {
        ConsumerConfig config = new KafkaSettings { BootstrapServers = "localhost:9092" }.ConsumerConfig("btc-moving");

        Assert.Equal("btc-moving", config.GroupId);
        Assert.False(config.EnableAutoCommit);
        Assert.Equal(AutoOffsetReset.Earliest, config.AutoOffsetReset);
        // librdkafka's defaults are a 500 ms long poll and a 1 s pause once 100,000 records are
        // fetched: a caught-up stage would wait, and one working through a backlog would sit idle.
        Assert.Equal(10, config.FetchWaitMaxMs);
        Assert.Equal(10, config.FetchQueueBackoffMs);
    }

    [Fact]
    public void ConsumerConfig_ExtraSettingsCannotChangeTheGroupOrHowItCommits()
    {
        var settings = new KafkaSettings
        {
            BootstrapServers = "localhost:9092",
            Extra = new Dictionary<string, string> { ["group.id"] = "other", ["enable.auto.commit"] = "true" },
        };

        ConsumerConfig config = settings.ConsumerConfig("btc-bonus");

        Assert.Equal("btc-bonus", config.GroupId);
        Assert.False(config.EnableAutoCommit);
    }

    [Fact]
    public void ConsumerConfig_ExtraSettingsOverrideTheDefaults()
    {
        var settings = new KafkaSettings
        {
            BootstrapServers = "localhost:9092",
            Extra = new Dictionary<string, string> { ["fetch.wait.max.ms"] = "500", ["security.protocol"] = "SASL_SSL" },
        };

        ConsumerConfig config = settings.ConsumerConfig("btc-zscore");

        Assert.Equal(500, config.FetchWaitMaxMs);
        Assert.Equal(10, config.FetchQueueBackoffMs);
        Assert.Equal("SASL_SSL", config.Get("security.protocol"));
    }
}
