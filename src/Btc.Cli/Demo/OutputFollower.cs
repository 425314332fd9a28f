using System.Buffers;
using System.Text;
using System.Text.Json;
using Btc.Cli.Kafka;
using Btc.Cli.Output;
using Btc.Cli.Stages;
using Btc.Rx.Records;
using Confluent.Kafka;

namespace Btc.Cli.Demo;

/// <summary>
/// The demo's window on a Kafka run: follows the pipeline's topics from where they stood when it
/// started, writes each to its JSON Lines file (as <c>btc pipeline</c> names them) and feeds the live
/// view's statistics.
/// </summary>
internal sealed class OutputFollower : IDisposable
{
    // Often while topics are still missing (the stages are making them), rarely once all are there:
    // each look asks for the metadata of every topic, which on a large cluster is a large answer.
    private static readonly TimeSpan DiscoveryInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RediscoveryInterval = TimeSpan.FromSeconds(30);
    private readonly IConsumer<Ignore, byte[]> _consumer;
    private readonly IAdminClient _admin;
    private readonly HashSet<TopicPartition> _assigned = [];
    private readonly Dictionary<string, JsonLinesFile> _files;
    private readonly DemoStatistics _statistics;
    private readonly TopicJsonReader _reader = new();
    private readonly Btc.Rx.Parsing.PriceRecordParser _prices = new();
    private DateTime _nextDiscovery = DateTime.MinValue;
    private long _late;
    private long _duplicate;
    private long _invalid;

    public OutputFollower(KafkaSettings kafka, string directory, DemoStatistics statistics)
    {
        _ = NativeLibrdkafka.Handle;
        _statistics = statistics;
        Directory.CreateDirectory(directory);
        _files = Topics.All.ToDictionary(t => t, t => new JsonLinesFile(Path.Combine(directory, t + ".jsonl")));
        _consumer = kafka.Build(new ConsumerBuilder<Ignore, byte[]>(kafka.ConsumerConfig("btc-demo-view")).SetLogHandler((_, _) => { }).Build);
        _admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        DiscoverPartitions(fromTheEnd: true);
    }

    /// <summary>When the last record of any followed topic arrived.</summary>
    public DateTime LastRecord { get; private set; } = DateTime.UtcNow;

    public IReadOnlyList<(string File, long Records)> Counts() => [.. _files.Values.Select(f => (f.Path, f.Records))];

    /// <summary>Reads what has arrived, for up to <paramref name="timeout"/>, and writes it to the files.</summary>
    public void Poll(TimeSpan timeout)
    {
        DiscoverPartitions();
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            ConsumeResult<Ignore, byte[]>? result = _consumer.Consume(TimeSpan.FromMilliseconds(20));
            if (result?.Message?.Value is not { } value)
            {
                continue;
            }

            LastRecord = DateTime.UtcNow;
            JsonLinesFile file = _files[result.Topic];
            file.Writer.Write(value);
            file.EndRecord();
            Count(result.Topic, value);
        }

        // The files are read while the demo runs; each poll passes on what it wrote (a few writes a second).
        foreach (JsonLinesFile file in _files.Values)
        {
            file.Flush();
        }
    }

    public void Dispose()
    {
        _admin.Dispose();
        _consumer.Dispose();
        foreach (JsonLinesFile file in _files.Values)
        {
            file.Dispose();
        }
    }

    // Every partition of the followed topics: the stages make their topics with one partition, but a
    // cluster of the user's may have them with more, and they appear while the stages start. A
    // partition there when the follower starts is read from its end then (what it holds is an earlier
    // run's), one that appears later from its start. Metadata of all topics is asked for (naming one
    // could make the broker create it).
    private void DiscoverPartitions(bool fromTheEnd = false)
    {
        if (DateTime.UtcNow < _nextDiscovery)
        {
            return;
        }

        _nextDiscovery = DateTime.UtcNow + DiscoveryInterval;
        Metadata metadata;
        try
        {
            metadata = _admin.GetMetadata(DiscoveryInterval);
        }
        catch (KafkaException)
        {
            return; // asked again at the next interval
        }

        List<TopicPartition> found = [.. metadata.Topics
            .Where(t => Topics.All.Contains(t.Topic) && !t.Error.IsError)
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, new Partition(p.PartitionId))))
            .Where(_assigned.Add)];
        if (Topics.All.All(topic => _assigned.Any(tp => tp.Topic == topic)))
        {
            _nextDiscovery = DateTime.UtcNow + RediscoveryInterval;
        }

        if (found.Count > 0)
        {
            // A new assignment replaces the old one: the partitions already read go on from where they are.
            _consumer.Assign(_assigned.Select(tp => !found.Contains(tp) ? Resume(tp) : new TopicPartitionOffset(tp, fromTheEnd ? End(tp) : Offset.Beginning)));
        }
    }

    private Offset End(TopicPartition partition)
    {
        try
        {
            return _consumer.QueryWatermarkOffsets(partition, DiscoveryInterval).High;
        }
        catch (KafkaException)
        {
            return Offset.Beginning; // rather everything than nothing
        }
    }

    private TopicPartitionOffset Resume(TopicPartition partition)
    {
        Offset position = _consumer.Position(partition);
        return new TopicPartitionOffset(partition, position == Offset.Unset ? Offset.Beginning : position);
    }

    private void Count(string topic, byte[] value)
    {
        switch (topic)
        {
            case Topics.Price:
                if (_prices.TryParse(value, out PriceTick tick, out _))
                {
                    _statistics.Price(tick);
                }

                break;
            case Topics.Moving:
                _statistics.MovingRecord();
                if (_reader.TryReadMoving(value, out MovingStatistics? moving))
                {
                    // Moving records come in event-time order: each is a watermark the pipeline has passed.
                    _statistics.Watermark(moving!.Timestamp);
                }

                break;
            case Topics.ZScore:
                if (_reader.TryReadZScores(value, out ZScores? zscores))
                {
                    _statistics.ZScore(zscores!);
                }

                break;
            case Topics.Higher or Topics.Lower:
                if (TryReadLookAhead(value, topic == Topics.Higher, out LookAheadResult result))
                {
                    _statistics.LookAhead(result);
                }

                break;
            case Topics.Rejected:
                if (TryReadRejectedReason(value, out string? reason))
                {
                    _ = reason switch { "late" => ++_late, "duplicate" => ++_duplicate, _ => ++_invalid };
                    _statistics.Rejected(_late, _duplicate, _invalid);
                }

                break;
        }
    }

    // The topics may be on a cluster others write to as well: a value btc did not write is still copied
    // to its file, but left out of the view rather than ending the demo.
    private static bool TryReadLookAhead(byte[] value, bool higher, out LookAheadResult result)
    {
        result = default;
        try
        {
            using JsonDocument document = JsonDocument.Parse(value);
            JsonElement root = document.RootElement;
            double seconds = root.GetProperty(higher ? "higher_window" : "lower_window").GetDouble();
            string? symbol = root.GetProperty("symbol").GetString();
            if (symbol is null || !double.IsFinite(seconds)
                || !Btc.Rx.Time.EventTime.TryParseUtf8(Encoding.UTF8.GetBytes(root.GetProperty("timestamp").GetString() ?? ""), out long timestamp))
            {
                return false;
            }

            result = new LookAheadResult(symbol, timestamp, higher ? LookAheadDirection.Higher : LookAheadDirection.Lower, (long)Math.Round(seconds * 1000), seconds < 20);
            return true;
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            return false;
        }
    }

    private static bool TryReadRejectedReason(byte[] value, out string? reason)
    {
        reason = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(value);
            reason = document.RootElement.GetProperty("reason").GetString();
            return true;
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            return false;
        }
    }
}
