using System.Text.Json;
using Btc.Rx.Time;
using Confluent.Kafka;

namespace Btc.Cli.Stages;

/// <summary>
/// One move of a stage's watermark by its idle timeout: the watermark it moved to, and where the
/// input was then (for each partition, the offset of the next record not yet processed).
/// </summary>
internal sealed record IdleAdvance(long Watermark, IReadOnlyDictionary<TopicPartition, long> Positions)
{
    /// <summary>Whether every record before the advance lies before <paramref name="offsets"/>: each position at or below its partition's offset.</summary>
    public bool IsWithin(IReadOnlyDictionary<TopicPartition, long> offsets) =>
        Positions.All(p => offsets.TryGetValue(p.Key, out long offset) && p.Value <= offset);

    /// <summary>Whether the record at <paramref name="offset"/> of <paramref name="partition"/> came after the advance.</summary>
    public bool Precedes(TopicPartition partition, long offset) =>
        Positions.TryGetValue(partition, out long position) && offset >= position;

    /// <summary>
    /// The advance as the value of a record of the stage's idle-advance topic:
    /// <c>{"watermark": "2026-11-24T10:52:14.101Z", "positions": [{"topic": "btc-price", "partition": 0, "offset": 31}]}</c>.
    /// </summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("watermark", EventTime.Format(Watermark));
            writer.WriteStartArray("positions");
            foreach (var (partition, offset) in Positions.OrderBy(p => p.Key.Topic, StringComparer.Ordinal).ThenBy(p => p.Key.Partition.Value))
            {
                writer.WriteStartObject();
                writer.WriteString("topic", partition.Topic);
                writer.WriteNumber("partition", partition.Partition.Value);
                writer.WriteNumber("offset", offset);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The value that voids every advance of the group recorded before it: <c>{"void": "…"}</c>. A
    /// stage writes it when its input started over (the topic was made again), as the positions of
    /// earlier advances are offsets of records that are gone.
    /// </summary>
    public static byte[] VoidJson { get; } = """{"void": "the stage's input started over: the advances before this are of records that are gone"}"""u8.ToArray();

    /// <summary>Whether <paramref name="json"/> is <see cref="VoidJson"/> (an object with a "void" field).</summary>
    public static bool IsVoid(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("void", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads a value <see cref="ToJson"/> wrote; false for anything else (not JSON, a field missing or of another type).</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out IdleAdvance? advance)
    {
        advance = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("watermark", out JsonElement watermark) || watermark.ValueKind != JsonValueKind.String ||
                !EventTime.TryParseUtf8(System.Text.Encoding.UTF8.GetBytes(watermark.GetString()!), out long watermarkMs) ||
                !root.TryGetProperty("positions", out JsonElement positions) || positions.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var parsed = new Dictionary<TopicPartition, long>();
            foreach (JsonElement position in positions.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Object ||
                    !position.TryGetProperty("topic", out JsonElement topic) || topic.ValueKind != JsonValueKind.String ||
                    !position.TryGetProperty("partition", out JsonElement partition) || !partition.TryGetInt32(out int partitionId) || partitionId < 0 ||
                    !position.TryGetProperty("offset", out JsonElement offset) || !offset.TryGetInt64(out long offsetValue) || offsetValue < 0)
                {
                    return false;
                }

                parsed[new TopicPartition(topic.GetString(), new Partition(partitionId))] = offsetValue;
            }

            if (parsed.Count == 0)
            {
                return false;
            }

            advance = new IdleAdvance(watermarkMs, parsed);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }
}
