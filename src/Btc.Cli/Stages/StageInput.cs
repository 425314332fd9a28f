using System.Diagnostics;
using Btc.Cli.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Stages;

/// <summary>
/// The input of a stage: every partition of its topics, with offsets kept under the stage's consumer
/// group. A stateful stage starts each partition at its first stored record and replays up to the
/// committed offset, so its windows, pending joins and look-aheads are rebuilt exactly as they were
/// when the offset was committed; records at or after the committed offset are live. Live records
/// are held back until every partition has caught up, so a restart never mixes old and new input.
/// </summary>
/// <remarks>
/// <para>
/// The state is global (one watermark across symbols), so partitions are assigned, not balanced
/// across group members: one process per stage and group.
/// </para>
/// <para>
/// Records are taken across partitions in the order of their timestamps, as Kafka Streams does: the
/// consumer hands out a broker's fetches whole, up to a megabyte of one partition before the next,
/// and taken in that order a backlog of several partitions (a replay, a stage started late) made
/// prices minutes late. Fetched records wait in a queue per partition; the earliest head is taken
/// once every partition with records still to read has a head, or has kept the others waiting for
/// <see cref="MaxWaitForPartition"/> (or for 100,000 fetched records).
/// </para>
/// </remarks>
internal sealed class StageInput : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long records of other partitions wait for a partition whose next records are still being fetched.</summary>
    public static readonly TimeSpan MaxWaitForPartition = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the input's topics are looked up for partitions added while the stage runs: well
    /// within the allowed lateness, so the records already in a new partition when it is found still
    /// count. Each lookup is one metadata request.
    /// </summary>
    public static readonly TimeSpan AddedPartitionsLookup = TimeSpan.FromSeconds(2);

    private const int FetchBatch = 1_000;
    private const long UnknownOffset = long.MinValue;

    // Records fetched into the queues while a partition is waited for, at most: past this many the
    // wait ends, so a partition slow to fetch cannot pull a whole backlog of the others into memory.
    private const int MaxFetchedWhileWaiting = 100_000;
    private readonly KafkaSettings _settings;
    private readonly IReadOnlyList<string> _topics;
    private readonly bool _rebuild;
    private readonly ILogger _logger;
    private readonly IConsumer<string?, byte[]> _consumer;
    private readonly Dictionary<TopicPartition, long> _replayEnd = [];
    private readonly Dictionary<TopicPartition, long> _position = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];
    private readonly Dictionary<TopicPartition, long> _start = [];
    private readonly HashSet<TopicPartition> _startedOver = [];
    // The offsets the group holds if this process is the only one committing them: what Start found
    // (-1 for none), then what this process committed.
    private readonly Dictionary<TopicPartition, long> _groupOffsets = [];
    // Records fetched and not yet handed out, per partition in offset order; and the partitions whose
    // last word from the consumer was that they are read to their end.
    private readonly Dictionary<TopicPartition, Queue<ConsumeResult<string?, byte[]>>> _fetched = [];
    private readonly HashSet<TopicPartition> _atEnd = [];
    private Stopwatch? _waitingSince;
    private int _fetchedCount;
    // The lookup for added partitions: made on another thread, so the stage's loop never waits for the broker.
    private IAdminClient? _metadata;
    private Task<List<TopicPartition>>? _lookup;
    private long _nextLookupMs = Environment.TickCount64 + (long)AddedPartitionsLookup.TotalMilliseconds;
    private bool _wentBack;

    public StageInput(KafkaSettings settings, string groupId, IReadOnlyList<string> topics, bool rebuild, ILogger logger)
    {
        _ = NativeLibrdkafka.Handle;
        _settings = settings;
        _topics = topics;
        _rebuild = rebuild;
        _logger = logger;
        ConsumerConfig config = settings.ConsumerConfig(groupId);
        config.EnableAutoOffsetStore = false;
        config.EnablePartitionEof = true;
        // Only committed records of transactional producers, as Kafka Streams reads.
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        _consumer = settings.Build(new ConsumerBuilder<string?, byte[]>(config)
            .SetLogHandler((_, message) => KafkaLog.Write(logger, message))
            .Build);
    }

    /// <summary>True while records before the committed offsets are being replayed.</summary>
    public bool Replaying => _replayEnd.Count > 0;

    /// <summary>Records replayed to rebuild state since start.</summary>
    public long Replayed { get; private set; }

    /// <summary>Live records consumed since start.</summary>
    public long Consumed { get; private set; }

    /// <summary>Where each partition's input starts (the first record replayed, or the committed offset); set by <see cref="Start"/>.</summary>
    public IReadOnlyDictionary<TopicPartition, long> StartOffsets => _start;

    /// <summary>The partitions whose committed offset was past their end (the topic was made again since), or whose offsets went back while the stage ran, started over at their first record.</summary>
    public IReadOnlyCollection<TopicPartition> StartedOver => _startedOver;

    /// <summary>The offsets committed so far: the input before them has its outputs acknowledged.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Committed => _committed;

    /// <summary>How far each partition has been handed out, replayed records included: the offset of its next record.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Positions => _position;

    /// <summary>Finds the partitions (waiting for the topics to exist), reads the committed offsets and assigns.</summary>
    public void Start(CancellationToken cancellationToken)
    {
        List<TopicPartition> partitions = WaitForPartitions(cancellationToken);
        List<TopicPartitionOffset> committed = _consumer.Committed(partitions, RequestTimeout);
        var assignment = new List<TopicPartitionOffset>();
        foreach (TopicPartitionOffset c in committed)
        {
            WatermarkOffsets stored = _consumer.QueryWatermarkOffsets(c.TopicPartition, RequestTimeout);
            long low = stored.Low.Value;
            long end = c.Offset.IsSpecial ? low : c.Offset.Value;
            string origin = c.Offset.IsSpecial ? "no committed offset" : "the committed offset";
            if (end > stored.High.Value)
            {
                // The group read this far in an earlier life of the topic (deleted and made again, or
                // truncated): the records there now are new to it. Taken as replayed, their outputs
                // were never sent, and commits waited for an offset the topic had yet to reach.
                _logger.LogWarning("{Partition}: the committed offset {Committed} is past the end of the partition ({High}): the topic was made again or truncated since; starting over at its first record, offset {Low}", c.TopicPartition, end, stored.High.Value, low);
                end = low;
                origin = "the topic's first record";
                _startedOver.Add(c.TopicPartition);
            }

            _committed[c.TopicPartition] = end;
            _groupOffsets[c.TopicPartition] = c.Offset.IsSpecial ? -1 : c.Offset.Value;
            if (end < low)
            {
                _logger.LogWarning("{Partition}: the committed offset {Committed} is older than the first stored record {Low}; records {Committed}..{Low} are gone and are skipped", c.TopicPartition, end, low, end, low);
                end = low;
            }

            if (_rebuild && end > low)
            {
                _replayEnd[c.TopicPartition] = end;
                assignment.Add(new TopicPartitionOffset(c.TopicPartition, new Offset(low)));
                _logger.LogInformation("{Partition}: rebuilding state from offsets {Low}..{End} before resuming at {End}", c.TopicPartition, low, end - 1, end);
            }
            else
            {
                assignment.Add(new TopicPartitionOffset(c.TopicPartition, new Offset(end)));
                _logger.LogInformation("{Partition}: starting at offset {Offset} ({Source})", c.TopicPartition, end, origin);
            }
        }

        foreach (TopicPartitionOffset start in assignment)
        {
            _start[start.TopicPartition] = start.Offset.Value;
            _position[start.TopicPartition] = start.Offset.Value;
            _fetched[start.TopicPartition] = new Queue<ConsumeResult<string?, byte[]>>();
        }

        _consumer.Assign(assignment);
    }

    /// <summary>
    /// The next record and whether it is replayed (its outputs were acknowledged before); null when
    /// none came in time. Of the partitions' next records, the one with the earliest timestamp comes
    /// first, once every partition that has records still to read has one fetched (or has kept the
    /// others waiting for <see cref="MaxWaitForPartition"/>).
    /// </summary>
    /// <remarks>
    /// Records are fetched into the queues only when none can be taken from them: the consumer's own
    /// queue is bounded, and draining it eagerly would make it fetch again and again, until a whole
    /// backlog sat in memory. A partition with records still to read is known from the consumer's
    /// cached high watermark, which comes with the records, so what is taken is never later than a
    /// record already fetched into the consumer.
    /// </remarks>
    public (ConsumeResult<string?, byte[]> Record, bool Replay)? Next(TimeSpan timeout)
    {
        if (TryTake() is { } taken)
        {
            return taken;
        }

        Fetch(timeout);
        return TryTake();
    }

    /// <summary>
    /// Whether <paramref name="partition"/> has been read to its end as far as the consumer last heard
    /// (the high watermark of its last fetch, without asking the broker); false while it is replayed or
    /// when the consumer has not heard.
    /// </summary>
    public bool ReadToEnd(TopicPartition partition)
    {
        if (_replayEnd.ContainsKey(partition))
        {
            return false;
        }

        Offset high = _consumer.GetWatermarkOffsets(partition).High;
        return high != Offset.Unset && _position.TryGetValue(partition, out long position) && position >= high.Value;
    }

    /// <summary>
    /// Asks the broker whether every partition has been read to its end. False when it cannot answer
    /// (down, unreachable) or when records wait unread: then the input is not idle, only cut off.
    /// </summary>
    public bool ConfirmedAtEnd()
    {
        try
        {
            foreach (var (partition, position) in _position)
            {
                if (_consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(1)).High.Value > position)
                {
                    return false;
                }
            }

            return true;
        }
        catch (KafkaException)
        {
            return false;
        }
    }

    /// <summary>Commits how far each partition was processed; call only once the outputs of that input are durable.</summary>
    public void Commit()
    {
        List<TopicPartitionOffset> advanced = [.. _position
            .Where(p => p.Value > _committed.GetValueOrDefault(p.Key, -1))
            .Select(p => new TopicPartitionOffset(p.Key, new Offset(p.Value)))];
        if (advanced.Count == 0)
        {
            return;
        }

        try
        {
            _consumer.Commit(advanced);
        }
        catch (KafkaException)
        {
            // The broker may have stored these offsets before the answer was lost: what the group
            // holds for them is unknown until the next commit.
            foreach (TopicPartitionOffset offset in advanced)
            {
                _groupOffsets[offset.TopicPartition] = UnknownOffset;
            }

            throw;
        }

        foreach (TopicPartitionOffset offset in advanced)
        {
            _committed[offset.TopicPartition] = offset.Offset.Value;
            _groupOffsets[offset.TopicPartition] = offset.Offset.Value;
        }
    }

    /// <summary>
    /// A partition whose offset in the group is not the one this process left there, with both
    /// offsets: another process commits in the same group. Null when there is none, or when the
    /// broker does not answer. An offset the broker no longer has (expired while the input was quiet
    /// for longer than its retention) is not another process's.
    /// </summary>
    public (TopicPartition Partition, long Theirs, long Ours)? CommittedByAnotherProcess()
    {
        try
        {
            foreach (TopicPartitionOffset stored in _consumer.Committed([.. _groupOffsets.Keys], RequestTimeout))
            {
                long ours = _groupOffsets[stored.TopicPartition];
                if (!stored.Offset.IsSpecial && ours != UnknownOffset && stored.Offset.Value != ours)
                {
                    return (stored.TopicPartition, stored.Offset.Value, ours);
                }
            }
        }
        catch (KafkaException)
        {
            // Asked again at a later commit.
        }

        return null;
    }

    /// <summary>
    /// Whether a partition's offsets went back since the last call (its topic was made again or
    /// truncated while the stage ran; the partition is then in <see cref="StartedOver"/>).
    /// </summary>
    public bool TakeWentBack()
    {
        bool wentBack = _wentBack;
        _wentBack = false;
        return wentBack;
    }

    /// <summary>
    /// Assigns the partitions added to the input's topics since the last look, each from its first
    /// record, and returns them; almost always none. Kafka does not tell a consumer that assigns its
    /// partitions about new ones, and producers spread keys over them once they see them, so unread
    /// they would lose those keys' records in silence.
    /// </summary>
    public IReadOnlyList<TopicPartition> AssignAdded()
    {
        if (_lookup is null)
        {
            if (Environment.TickCount64 >= _nextLookupMs)
            {
                _metadata ??= new DependentAdminClientBuilder(_consumer.Handle).Build();
                IAdminClient metadata = _metadata;
                HashSet<TopicPartition> known = [.. _position.Keys];
                _lookup = Task.Run(() => LookUpAdded(metadata, known));
            }

            return [];
        }

        if (!_lookup.IsCompleted)
        {
            return [];
        }

        List<TopicPartition> found = _lookup.Result;
        _lookup = null;
        _nextLookupMs = Environment.TickCount64 + (long)AddedPartitionsLookup.TotalMilliseconds;
        if (found.Count == 0)
        {
            return [];
        }

        List<TopicPartitionOffset> added;
        try
        {
            // On this thread: the consumer is not to be used from two at once.
            added = [.. found.Select(p => new TopicPartitionOffset(p, _consumer.QueryWatermarkOffsets(p, AddedPartitionsLookup).Low))];
        }
        catch (KafkaException)
        {
            return []; // found again at the next lookup
        }

        foreach (TopicPartitionOffset first in added)
        {
            _logger.LogWarning("{Partition}: a partition added while the stage runs; reading it from its first record, offset {Offset}", first.TopicPartition, first.Offset.Value);
            _start[first.TopicPartition] = first.Offset.Value;
            _position[first.TopicPartition] = first.Offset.Value;
            _groupOffsets[first.TopicPartition] = -1;
            _fetched[first.TopicPartition] = new Queue<ConsumeResult<string?, byte[]>>();
        }

        _consumer.IncrementalAssign(added);
        return [.. added.Select(a => a.TopicPartition)];
    }

    // The partitions of the input's topics that are not in `known`; none when the broker does not
    // answer (asked again at the next lookup).
    private List<TopicPartition> LookUpAdded(IAdminClient metadata, HashSet<TopicPartition> known)
    {
        var added = new List<TopicPartition>();
        try
        {
            foreach (string topic in _topics)
            {
                if (metadata.GetMetadata(topic, AddedPartitionsLookup).Topics.SingleOrDefault(t => t.Topic == topic) is not { Error.IsError: false } found)
                {
                    continue;
                }

                foreach (PartitionMetadata partition in found.Partitions)
                {
                    var candidate = new TopicPartition(topic, new Partition(partition.PartitionId));
                    if (!known.Contains(candidate))
                    {
                        added.Add(candidate);
                    }
                }
            }
        }
        catch (KafkaException)
        {
            return [];
        }

        return added;
    }

    public void Dispose()
    {
        // A lookup under way uses the consumer's connections: it ends within its timeout.
        _lookup?.Wait(TimeSpan.FromSeconds(10));
        _metadata?.Dispose();
        try
        {
            _consumer.Close();
        }
        catch (KafkaException)
        {
            // Leaving the group failed (the broker is gone); the offsets were committed or not already.
        }

        _consumer.Dispose();
    }

    // Moves what the consumer has fetched into the partitions' queues: one wait of up to `timeout`,
    // then whatever else is ready at once (a bounded number, so a backlog is taken in steps).
    private void Fetch(TimeSpan timeout)
    {
        for (int n = 0; n < FetchBatch; n++)
        {
            ConsumeResult<string?, byte[]>? result = _consumer.Consume(n == 0 ? timeout : TimeSpan.Zero);
            if (result is null)
            {
                return;
            }

            TopicPartition partition = result.TopicPartition;
            if (result.IsPartitionEOF)
            {
                _atEnd.Add(partition);
                // Offsets before the committed one may be missing (transaction markers): the end of the
                // partition also ends its replay, once what was fetched before it is handed out.
                continue;
            }

            _atEnd.Remove(partition);
            _fetched[partition].Enqueue(result);
            _fetchedCount++;
        }
    }

    // The fetched record with the earliest timestamp, when no partition with records still to read
    // could have an earlier one; replayed records first, live ones only once every partition has
    // caught up, so a restart never mixes old and new input.
    private (ConsumeResult<string?, byte[]>, bool)? TryTake()
    {
        // First the replays that have ended, so every head below is judged by the same rule: a live
        // record fetched, or the partition's end (see Fetch).
        foreach (var (partition, fetched) in _fetched)
        {
            if (_replayEnd.TryGetValue(partition, out long end) &&
                (fetched.TryPeek(out ConsumeResult<string?, byte[]>? head) ? head.Offset.Value >= end : _atEnd.Contains(partition)))
            {
                CaughtUp(partition);
            }
        }

        Queue<ConsumeResult<string?, byte[]>>? earliest = null;
        long earliestTime = long.MaxValue;
        bool waitingForAnother = false;
        foreach (var (partition, fetched) in _fetched)
        {
            if (Replaying && !_replayEnd.ContainsKey(partition))
            {
                continue; // live records, held back while others replay
            }

            if (fetched.TryPeek(out ConsumeResult<string?, byte[]>? head))
            {
                long time = head.Message.Timestamp.UnixTimestampMs;
                if (time < earliestTime)
                {
                    (earliest, earliestTime) = (fetched, time);
                }
            }
            else if (!_atEnd.Contains(partition) && !ReadToEnd(partition))
            {
                waitingForAnother = true;
            }
        }

        if (earliest is null)
        {
            _waitingSince = null;
            return null;
        }

        if (waitingForAnother)
        {
            _waitingSince ??= Stopwatch.StartNew();
            if (_waitingSince.Elapsed < MaxWaitForPartition && _fetchedCount < MaxFetchedWhileWaiting)
            {
                return null;
            }
        }

        _waitingSince = null;
        ConsumeResult<string?, byte[]> result = earliest.Dequeue();
        _fetchedCount--;
        TopicPartition source = result.TopicPartition;
        if (result.Offset.Value < _position[source])
        {
            WentBack(source, result.Offset.Value);
        }

        _position[source] = result.Offset.Value + 1;
        if (_replayEnd.TryGetValue(source, out long replayEnd))
        {
            Replayed++;
            if (result.Offset.Value + 1 >= replayEnd)
            {
                CaughtUp(source);
            }

            return (result, true);
        }

        Consumed++;
        return (result, false);
    }

    // The consumer starts a partition over at its first record when the offset it reads at is past
    // the partition's end: the topic was deleted and made again, or truncated, under the stage. The
    // records from there are new input; commits, which only move forward, go on from them.
    private void WentBack(TopicPartition partition, long offset)
    {
        _logger.LogWarning("{Partition}: its offsets went back from {Position} to {Offset}: the topic was made again or truncated while the stage ran; its records from there are new input", partition, _position[partition], offset);
        _committed[partition] = offset;
        _startedOver.Add(partition);
        _wentBack = true;
        CaughtUp(partition); // nothing from there was handled before: none of it is replayed
    }

    private void CaughtUp(TopicPartition partition)
    {
        if (!_replayEnd.Remove(partition))
        {
            return;
        }

        if (_replayEnd.Count == 0)
        {
            _logger.LogInformation("state rebuilt from {Replayed} records; resuming", Replayed);
        }
    }

    private List<TopicPartition> WaitForPartitions(CancellationToken cancellationToken)
    {
        using IAdminClient admin = _settings.AdminClient(_logger);
        var partitions = new List<TopicPartition>();
        foreach (string topic in _topics)
        {
            bool told = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TopicMetadata? metadata = TryGetMetadata(admin, topic);
                if (metadata is { Error.IsError: false, Partitions.Count: > 0 })
                {
                    partitions.AddRange(metadata.Partitions.Select(p => new TopicPartition(topic, new Partition(p.PartitionId))));
                    break;
                }

                if (!told)
                {
                    _logger.LogInformation("waiting for topic {Topic} to exist", topic);
                    told = true;
                }

                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
            }
        }

        return partitions;
    }

    private TopicMetadata? TryGetMetadata(IAdminClient admin, string topic)
    {
        try
        {
            return admin.GetMetadata(topic, RequestTimeout).Topics.SingleOrDefault(t => t.Topic == topic);
        }
        catch (KafkaException e)
        {
            _logger.LogWarning("reading metadata of {Topic} failed: {Reason}; retrying", topic, e.Error.Reason);
            return null;
        }
    }
}
