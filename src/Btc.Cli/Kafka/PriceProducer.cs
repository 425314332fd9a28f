using System.Buffers;
using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Confluent.Kafka;

namespace Btc.Cli.Kafka;

/// <summary>
/// Publishes <c>btc-price</c> records keyed by symbol through an idempotent producer. A record whose
/// delivery finally fails is counted, never dropped silently: the command exits non-zero.
/// </summary>
internal sealed class PriceProducer : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly string _topic;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private long _failed;
    private string? _firstError;

    public PriceProducer(KafkaSettings settings, string topic)
    {
        _ = NativeLibrdkafka.Handle;
        _topic = topic;
        _producer = new ProducerBuilder<string, byte[]>(settings.ProducerConfig())
            .SetLogHandler((_, message) =>
            {
                if (message.Level <= SyslogLevel.Warning)
                {
                    Console.Error.WriteLine($"kafka: {message.Message}");
                }
            })
            .Build();
    }

    public long Published { get; private set; }

    public long Failed => Interlocked.Read(ref _failed);

    public string? FirstError => _firstError;

    public void Publish(in PriceTick tick)
    {
        _buffer.ResetWrittenCount();
        TopicJson.WritePrice(_buffer, tick);
        Publish(tick.Symbol, _buffer.WrittenSpan.ToArray());
    }

    public void Publish(string key, byte[] value)
    {
        while (true)
        {
            try
            {
                _producer.Produce(_topic, new Message<string, byte[]> { Key = key, Value = value }, OnDelivered);
                Published++;
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The local queue is full while the broker catches up: wait for deliveries, not drop.
                _producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Waits until every record is acknowledged or has finally failed.</summary>
    public void Flush(CancellationToken cancellationToken)
    {
        try
        {
            _producer.Flush(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A second Ctrl+C while flushing: give up waiting; what is not acknowledged is reported.
        }
    }

    public void Dispose() => _producer.Dispose();

    private void OnDelivered(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, report.Error.Reason, null);
        }
    }
}
