using System.Text;
using Btc.Cli.Kafka;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>Reads whole topics back (every partition, from its first stored record), with no consumer group.</summary>
internal static class TopicReader
{
    public static List<string> ReadAll(string bootstrap, string topic)
    {
        _ = NativeLibrdkafka.Handle;
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "unused-" + Guid.NewGuid(),
            EnablePartitionEof = true,
            EnableAutoCommit = false,
        };
        using IConsumer<Ignore, byte[]> consumer = new ConsumerBuilder<Ignore, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        List<TopicPartition> partitions = Partitions(bootstrap, topic);
        var open = new HashSet<TopicPartition>();
        var assignment = new List<TopicPartitionOffset>();
        foreach (TopicPartition partition in partitions)
        {
            WatermarkOffsets offsets = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            if (offsets.High > offsets.Low)
            {
                open.Add(partition);
                assignment.Add(new TopicPartitionOffset(partition, offsets.Low));
            }
        }

        var values = new List<string>();
        consumer.Assign(assignment);
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            ConsumeResult<Ignore, byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                open.Remove(result.TopicPartition);
            }
            else
            {
                values.Add(Encoding.UTF8.GetString(result.Message.Value));
            }
        }

        Assert.Empty(open);
        return values;
    }

    /// <summary>Records stored in the topic now (the sum of its partitions' high watermarks).</summary>
    public static long Count(string bootstrap, string topic)
    {
        _ = NativeLibrdkafka.Handle;
        using IConsumer<Ignore, Ignore> consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "unused" }).SetLogHandler((_, _) => { }).Build();
        return Partitions(bootstrap, topic).Sum(p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>The offset <paramref name="group"/> has committed on partition 0 of <paramref name="topic"/>, or -1.</summary>
    public static long Committed(string bootstrap, string group, string topic)
    {
        _ = NativeLibrdkafka.Handle;
        using IConsumer<Ignore, Ignore> consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false }).SetLogHandler((_, _) => { }).Build();
        Offset offset = consumer.Committed([new TopicPartition(topic, 0)], TimeSpan.FromSeconds(10)).Single().Offset;
        return offset.IsSpecial ? -1 : offset.Value;
    }

    private static List<TopicPartition> Partitions(string bootstrap, string topic)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).SetLogHandler((_, _) => { }).Build();
        return [.. admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId))];
    }
}
