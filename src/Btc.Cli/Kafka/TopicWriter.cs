using System.Buffers;
using Btc.Rx.Records;
using Btc.Rx.Serialization;

namespace Btc.Cli.Kafka;

/// <summary>Publishes records of one kind to one topic, keyed by symbol, serialized as SEMANTICS prescribes.</summary>
internal sealed class TopicWriter<T>(KafkaPublisher publisher, string topic, Func<T, string> key, Action<IBufferWriter<byte>, T> serialize)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>Records handed to the publisher, suppressed ones included.</summary>
    public long Records { get; private set; }

    public void Add(T record)
    {
        _buffer.ResetWrittenCount();
        serialize(_buffer, record);
        publisher.Publish(topic, key(record), _buffer.WrittenSpan);
        Records++;
    }
}

/// <summary>The topic writers of the pipeline's record kinds.</summary>
internal static class TopicWriters
{
    public static TopicWriter<PriceTick> Prices(KafkaPublisher publisher, string topic) =>
        new(publisher, topic, static t => t.Symbol, static (w, t) => TopicJson.WritePrice(w, t));

    public static TopicWriter<MovingStatistics> Moving(KafkaPublisher publisher, string topic) =>
        new(publisher, topic, static m => m.Symbol, TopicJson.WriteMoving);

    public static TopicWriter<ZScores> ZScores(KafkaPublisher publisher, string topic) =>
        new(publisher, topic, static z => z.Symbol, TopicJson.WriteZScores);

    public static TopicWriter<LookAheadResult> LookAhead(KafkaPublisher publisher, string topic) =>
        new(publisher, topic, static r => r.Symbol, static (w, r) => TopicJson.WriteLookAhead(w, r));
}
