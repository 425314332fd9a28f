using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Kafka;

/// <summary>
/// Publishes values to any topic through one idempotent producer (acks=all). A record whose
/// delivery finally fails is counted, never dropped silently: the caller exits non-zero and does not
/// commit the input it came from. While <see cref="Suppressed"/> is set (a stage rebuilding its state
/// from input it already processed), values are not sent: they were acknowledged before.
/// </summary>
internal sealed class KafkaPublisher : IDisposable
{
    private readonly IProducer<string?, byte[]> _producer;
    private readonly Action<DeliveryReport<string?, byte[]>> _onDelivered;
    private long _failed;
    private string? _firstError;

    public KafkaPublisher(KafkaSettings settings, ILogger logger)
    {
        _ = NativeLibrdkafka.Handle;
        _onDelivered = OnDelivered;
        _producer = new ProducerBuilder<string?, byte[]>(settings.ProducerConfig())
            .SetLogHandler((_, message) => KafkaLog.Write(logger, message))
            .Build();
    }

    public long Failed => Interlocked.Read(ref _failed);

    public string? FirstError => _firstError;

    public bool Suppressed { get; set; }

    public void Publish(string topic, string? key, ReadOnlySpan<byte> value)
    {
        if (Suppressed)
        {
            return;
        }

        var message = new Message<string?, byte[]> { Key = key, Value = value.ToArray() };
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, _onDelivered);
                return;
            }
            catch (ProduceException<string?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The local queue is full while the broker catches up: wait for deliveries, not drop.
                _producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Waits until every value is acknowledged or has finally failed; true when none failed so far.</summary>
    public bool Flush(CancellationToken cancellationToken)
    {
        try
        {
            _producer.Flush(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A second Ctrl+C while flushing: give up waiting; what is not acknowledged is reported.
            return false;
        }

        return Failed == 0;
    }

    public void Dispose() => _producer.Dispose();

    private void OnDelivered(DeliveryReport<string?, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, report.Error.Reason, null);
        }
    }
}
