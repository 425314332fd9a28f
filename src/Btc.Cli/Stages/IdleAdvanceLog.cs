using Btc.Cli.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Stages;

/// <summary>
/// The idle advances earlier runs of a stage made, in the order they made them, kept in
/// <c>btc-idle-advances</c> keyed by the stage's consumer group. A restarted stage replays its input to rebuild its state; the advances are part of that
/// state (records they made final are not pending, records they made late were refused), so each is
/// made again where it was made first: before the first record that came after it, or as soon as
/// every record before it has been handled.
/// </summary>
/// <remarks>
/// With one partition per input that place is exact. With several, the order in which partitions
/// interleave is the consumer's, in a replay as in the first run, and an advance comes at the first
/// record that followed it in any partition.
/// </remarks>
internal sealed class IdleAdvanceLog
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly Queue<IdleAdvance> _recorded;
    private readonly IReadOnlyDictionary<TopicPartition, long> _handled;

    /// <param name="recorded">The advances an earlier run made, oldest first.</param>
    /// <param name="start">Where the input starts for each partition (the first record replayed or consumed).</param>
    /// <param name="handled">How far each partition has been handed to the stage since (the offset of its next record), kept up to date by the input.</param>
    public IdleAdvanceLog(IEnumerable<IdleAdvance> recorded, IReadOnlyDictionary<TopicPartition, long> start, IReadOnlyDictionary<TopicPartition, long> handled)
    {
        _handled = handled;
        // Advances before the first stored record cannot be placed: the state they acted on is gone.
        // Nor can advances over other topics (the group's stage once read topics of other names).
        _recorded = new Queue<IdleAdvance>(recorded.Where(a => !a.IsWithin(start) && a.Positions.Keys.All(start.ContainsKey)));
    }

    /// <summary>Advances recorded and not made again yet.</summary>
    public int Pending => _recorded.Count;

    /// <summary>Drops the advances not made again yet: the input they were made over is gone.</summary>
    public void Clear() => _recorded.Clear();

    /// <summary>The next recorded advance, when the record at <paramref name="offset"/> of <paramref name="partition"/> came after it; taken off the log.</summary>
    public bool TryTakeBefore(TopicPartition partition, long offset, out IdleAdvance? advance) =>
        TryTake(a => a.Precedes(partition, offset), out advance);

    /// <summary>The next recorded advance, when every record before it has been handled; taken off the log.</summary>
    public bool TryTakeReached(out IdleAdvance? advance) => TryTake(a => a.IsWithin(_handled), out advance);

    /// <summary>
    /// Reads every advance <see cref="Topics.IdleAdvances"/> holds for <paramref name="groupId"/>, in the
    /// order they were made (keyed by the group, they share one partition), those before a
    /// <see cref="IdleAdvance.VoidJson"/> left out. A topic that does not exist holds none; a value of
    /// the group that is neither is skipped with a warning.
    /// </summary>
    public static List<IdleAdvance> Read(KafkaSettings settings, string groupId, ILogger logger)
    {
        _ = NativeLibrdkafka.Handle;
        const string topic = Topics.IdleAdvances;
        // Assigned, not subscribed, and never committed: the group only names the client.
        ConsumerConfig config = settings.ConsumerConfig(groupId + "-idle-advances");
        config.EnablePartitionEof = true;
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        using IConsumer<string?, byte[]> consumer = settings.Build(new ConsumerBuilder<string?, byte[]>(config)
            .SetLogHandler((_, message) => KafkaLog.Write(logger, message))
            .Build);
        using IAdminClient admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        TopicMetadata? metadata = admin.GetMetadata(topic, RequestTimeout).Topics.SingleOrDefault(t => t.Topic == topic);
        var advances = new List<IdleAdvance>();
        if (metadata is not { Error.IsError: false, Partitions.Count: > 0 })
        {
            if (metadata is { Error.IsError: true } && metadata.Error.Code != ErrorCode.UnknownTopicOrPart)
            {
                // Not allowed to read it, most likely: the replay goes on without the advances, and says so.
                logger.LogWarning("{Topic} cannot be read ({Reason}): idle advances of earlier runs are not made again", topic, metadata.Error.Reason);
            }

            return advances;
        }

        var unread = new HashSet<TopicPartition>();
        foreach (PartitionMetadata partition in metadata.Partitions)
        {
            var topicPartition = new TopicPartition(topic, new Partition(partition.PartitionId));
            WatermarkOffsets stored = consumer.QueryWatermarkOffsets(topicPartition, RequestTimeout);
            if (stored.High.Value > stored.Low.Value)
            {
                unread.Add(topicPartition);
            }
        }

        consumer.Assign(unread.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        int skipped = 0;
        while (unread.Count > 0)
        {
            ConsumeResult<string?, byte[]>? result = consumer.Consume(RequestTimeout) ??
                throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"reading {topic} took longer than {RequestTimeout.TotalSeconds:F0} s"));
            if (result.IsPartitionEOF)
            {
                unread.Remove(result.TopicPartition);
            }
            else if (result.Message.Key != groupId)
            {
                continue; // another stage's
            }
            else if (IdleAdvance.TryParse(result.Message.Value ?? [], out IdleAdvance? advance))
            {
                advances.Add(advance!);
            }
            else if (IdleAdvance.IsVoid(result.Message.Value ?? []))
            {
                advances.Clear(); // the input started over since: they were of records that are gone
            }
            else
            {
                skipped++;
            }
        }

        if (skipped > 0)
        {
            logger.LogWarning("{Topic}: {Skipped} values of group {Group} are not idle advances and were skipped", topic, skipped, groupId);
        }

        return advances;
    }

    private bool TryTake(Func<IdleAdvance, bool> due, out IdleAdvance? advance)
    {
        if (_recorded.TryPeek(out advance) && due(advance))
        {
            _recorded.Dequeue();
            return true;
        }

        advance = null;
        return false;
    }
}
