using System.Text;
using Btc.Cli.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Btc.Cli.Tests;

/// <summary>The publisher every stage and extract writes through: in order, durable on Flush, failures counted.</summary>
public class KafkaPublisherTest
{
    [Fact]
    public void Flush_DeliversEveryValue_InTheOrderPublished()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("out", partitions: 1);
        using (var publisher = new KafkaPublisher(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, NullLogger.Instance))
        {
            for (int i = 0; i < 20_000; i++)
            {
                publisher.Publish("out", "BTCUSDT", Encoding.UTF8.GetBytes($"value {i}"));
            }

            Assert.True(publisher.Flush(CancellationToken.None));
            Assert.Equal(0, publisher.Failed);
        }

        List<string> values = KafkaTestClient.Consume(cluster.BootstrapServers, "out", "check", 20_000);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => $"value {i}"), values);
    }

    [Fact]
    public async Task PublishFromSeveralThreads_DeliversEveryValue_EachThreadInOrder()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("out", partitions: 1);
        using (var publisher = new KafkaPublisher(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, NullLogger.Instance))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
            {
                for (int i = 0; i < 5_000; i++)
                {
                    publisher.Publish("out", null, Encoding.UTF8.GetBytes($"{t} {i}"));
                }
            })));
            Assert.True(publisher.Flush(CancellationToken.None));
        }

        List<string> values = KafkaTestClient.Consume(cluster.BootstrapServers, "out", "check", 20_000);
        foreach (IGrouping<string, string> thread in values.GroupBy(v => v.Split(' ')[0]))
        {
            Assert.Equal(Enumerable.Range(0, 5_000).Select(i => $"{thread.Key} {i}"), thread);
        }

        Assert.Equal(20_000, values.Count);
    }

    [Fact]
    public void SuppressedValues_AreNotSent()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("out", partitions: 1);
        using (var publisher = new KafkaPublisher(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, NullLogger.Instance))
        {
            publisher.Suppressed = true;
            publisher.Publish("out", null, "replayed"u8);
            publisher.Suppressed = false;
            publisher.Publish("out", null, "live"u8);
            Assert.True(publisher.Flush(CancellationToken.None));
        }

        Assert.Equal(["live"], KafkaTestClient.Consume(cluster.BootstrapServers, "out", "check", 1));
        Assert.Empty(KafkaTestClient.Consume(cluster.BootstrapServers, "out", "check", 0, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void HeldValues_AreNotSentOrFlushed_UntilReleased_AndAValuePublishedNowGoesFirst()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("out", partitions: 1);
        using (var publisher = new KafkaPublisher(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, NullLogger.Instance))
        {
            publisher.Publish("out", null, "before"u8);
            publisher.Hold();
            publisher.Publish("out", null, "held 1"u8);
            publisher.Publish("out", null, "held 2"u8);
            publisher.PublishNow("out", null, "depended on"u8);
            Assert.True(publisher.Flush(CancellationToken.None));
            Assert.Equal(["before", "depended on"], TopicReader.ReadAll(cluster.BootstrapServers, "out"));

            publisher.Release();
            publisher.Publish("out", null, "after"u8);
            Assert.True(publisher.Flush(CancellationToken.None));
        }

        Assert.Equal(["before", "depended on", "held 1", "held 2", "after"], TopicReader.ReadAll(cluster.BootstrapServers, "out"));
    }

    [Fact]
    public void AValueTheProducerRefuses_IsCountedAsFailed_AndTheOthersStillGo()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("out", partitions: 1);
        var settings = new KafkaSettings { BootstrapServers = cluster.BootstrapServers, Extra = new Dictionary<string, string> { ["message.max.bytes"] = "1000" } };
        using (var publisher = new KafkaPublisher(settings, NullLogger.Instance))
        {
            publisher.Publish("out", null, "before"u8);
            publisher.Publish("out", null, new byte[5_000]);
            publisher.Publish("out", null, "after"u8);

            Assert.False(publisher.Flush(CancellationToken.None));
            Assert.Equal(1, publisher.Failed);
            Assert.NotNull(publisher.FirstError);
        }

        Assert.Equal(["before", "after"], KafkaTestClient.Consume(cluster.BootstrapServers, "out", "check", 2));
    }

    [Fact]
    public async Task Dispose_WithTheBrokerGone_DoesNotHang()
    {
        var cluster = new MockCluster();
        cluster.CreateTopic("out", partitions: 1);
        var publisher = new KafkaPublisher(new KafkaSettings { BootstrapServers = cluster.BootstrapServers }, NullLogger.Instance);
        publisher.Publish("out", null, "value"u8);
        cluster.Dispose();

        Task dispose = Task.Run(publisher.Dispose);
        Assert.Same(dispose, await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(30))));
    }
}
