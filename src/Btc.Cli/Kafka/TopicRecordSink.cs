using System.Buffers;
using Btc.Cli.Output;

namespace Btc.Cli.Kafka;

/// <summary>An <see cref="IRecordSink"/> that publishes each value to a topic, without a key.</summary>
internal sealed class TopicRecordSink(KafkaPublisher publisher, string topic) : IRecordSink
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public IBufferWriter<byte> Writer => _buffer;

    public void EndRecord()
    {
        publisher.Publish(topic, null, _buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}
