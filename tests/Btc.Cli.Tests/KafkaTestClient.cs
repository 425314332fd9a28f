using System.Diagnostics;
using Btc.Cli.Kafka;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>Plain Confluent.Kafka clients for tests: produce numbered records, consume with a group and commit.</summary>
internal static class KafkaTestClient
{
    public static void Produce(string bootstrap, string topic, int count) =>
        Produce(bootstrap, topic, Enumerable.Range(0, count).Select(i => ($"key {i % 7}", $"value {i}")));

    /// <summary>Produces the messages in order and waits until each is delivered.</summary>
    public static void Produce(string bootstrap, string topic, IEnumerable<(string Key, string Value)> messages) =>
        Produce(bootstrap, messages.Select(m => (new TopicPartition(topic, Partition.Any), m.Key, m.Value)));

    /// <summary>Produces each message to its partition (<see cref="Partition.Any"/>: by its key), in order, and waits until each is delivered.</summary>
    public static void Produce(string bootstrap, IEnumerable<(TopicPartition Partition, string Key, string Value)> messages)
    {
        _ = NativeLibrdkafka.Handle;
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = 60_000,
            LogConnectionClose = false,
        };
        using IProducer<string, string> producer = new ProducerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        foreach ((TopicPartition partition, string key, string value) in messages)
        {
            producer.Produce(partition, new Message<string, string> { Key = key, Value = value }, report =>
            {
                if (report.Error.IsError)
                {
                    throw new KafkaException(report.Error);
                }
            });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }

    public static List<string> Consume(string bootstrap, string topic, string group, int expected, TimeSpan? wait = null) =>
        [.. ConsumeMessages(bootstrap, topic, group, expected, wait).Select(m => m.Value)];

    /// <summary>Reads up to <paramref name="expected"/> messages (or, for 0, whatever comes within the wait) and commits.</summary>
    public static List<(string Key, string Value)> ConsumeMessages(string bootstrap, string topic, string group, int expected, TimeSpan? wait = null)
    {
        _ = NativeLibrdkafka.Handle;
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
        using IConsumer<string, string> consumer = new ConsumerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        var values = new List<(string Key, string Value)>();
        var deadline = Stopwatch.StartNew();
        TimeSpan limit = wait ?? TimeSpan.FromSeconds(30);
        while (values.Count < expected || (expected == 0 && deadline.Elapsed < limit))
        {
            if (deadline.Elapsed > limit)
            {
                break;
            }

            ConsumeResult<string, string>? result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                values.Add((result.Message.Key, result.Message.Value));
                consumer.StoreOffset(result);
            }
        }

        if (values.Count > 0)
        {
            consumer.Commit();
        }

        consumer.Close();
        return values;
    }
}
