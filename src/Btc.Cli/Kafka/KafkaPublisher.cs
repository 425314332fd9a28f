using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Kafka;

/// <summary>
/// Publishes values to any topic through one idempotent producer (acks=all). A record whose
/// delivery finally fails is counted, never dropped silently: the caller exits non-zero and does not
/// commit the input it came from. While <see cref="Suppressed"/> is set (a stage rebuilding its state
/// from input it already processed), values are not sent: they were acknowledged before.
/// </summary>
/// <remarks>
/// The producer's own calls (Confluent's per-message wrapping, the hand-over to librdkafka) cost more
/// than a stage's work on a record, so they run on a thread of their own, in the order values were
/// published: the caller only queues a value and goes on with the next record. <see cref="Flush"/>
/// waits for that thread to hand everything over and then for the broker's acknowledgements.
/// </remarks>
internal sealed class KafkaPublisher : IDisposable
{
    // Enough for a few commit intervals of a busy stage; a caller that gets this far ahead waits.
    private const int QueueCapacity = 16_384;
    private readonly IProducer<string?, byte[]> _producer;
    private readonly Action<DeliveryReport<string?, byte[]>> _onDelivered;
    // Several writers: extract publishes prices from its loop and rejected answers from the sources' threads.
    // Waits on either side are blocking waits of dedicated threads: waking them inline keeps the thread
    // pool out of the hand-over.
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Thread _sender;
    private readonly ManualResetEventSlim _handedOver = new(initialState: true);
    // Published while held back, from the caller's thread only.
    private readonly List<Pending> _held = [];
    private bool _holding;
    private long _queued;
    private long _sent;
    private long _failed;
    private string? _firstError;
    private volatile bool _disposing;

    public KafkaPublisher(KafkaSettings settings, ILogger logger)
    {
        _ = NativeLibrdkafka.Handle;
        _onDelivered = OnDelivered;
        _producer = settings.Build(new ProducerBuilder<string?, byte[]>(settings.ProducerConfig())
            .SetLogHandler((_, message) => KafkaLog.Write(logger, message))
            .Build);
        _sender = new Thread(Send) { IsBackground = true, Name = "btc kafka producer" };
        _sender.Start();
    }

    public long Failed => Interlocked.Read(ref _failed);

    public string? FirstError => Volatile.Read(ref _firstError);

    public bool Suppressed { get; set; }

    /// <summary>Queues a copy of <paramref name="value"/> for <paramref name="topic"/>; waits only while the queue is full.</summary>
    public void Publish(string topic, string? key, ReadOnlySpan<byte> value)
    {
        if (Suppressed)
        {
            return;
        }

        var pending = new Pending(topic, key, value.ToArray());
        if (_holding)
        {
            _held.Add(pending);
            return;
        }

        Enqueue(pending);
    }

    /// <summary>
    /// Keeps what is published from now on back until <see cref="Release"/>, out of <see cref="Flush"/>'s
    /// reach: for outputs that may only be sent once a record they depend on is acknowledged.
    /// </summary>
    public void Hold() => _holding = true;

    /// <summary>Queues what was held back, in order, and publishes directly again.</summary>
    public void Release()
    {
        _holding = false;
        foreach (Pending pending in _held)
        {
            Enqueue(pending);
        }

        _held.Clear();
    }

    /// <summary>Queues a value past any <see cref="Hold"/>, for the record the held ones depend on.</summary>
    public void PublishNow(string topic, string? key, ReadOnlySpan<byte> value) => Enqueue(new Pending(topic, key, value.ToArray()));

    private void Enqueue(Pending pending)
    {
        Interlocked.Increment(ref _queued);
        _handedOver.Reset();
        if (!_queue.Writer.TryWrite(pending))
        {
            _queue.Writer.WriteAsync(pending).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Waits until every value is acknowledged or has finally failed; true when none failed so far.</summary>
    public bool Flush(CancellationToken cancellationToken)
    {
        try
        {
            while (Interlocked.Read(ref _sent) < Interlocked.Read(ref _queued))
            {
                _handedOver.Wait(cancellationToken);
            }

            _producer.Flush(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A second Ctrl+C while flushing: give up waiting; what is not acknowledged is reported.
            return false;
        }

        return Failed == 0;
    }

    public void Dispose()
    {
        _disposing = true;
        _queue.Writer.TryComplete();
        _sender.Join();
        _producer.Dispose();
        _handedOver.Dispose();
    }

    // The sender thread: hands each queued value to the producer, in order.
    private void Send()
    {
        ChannelReader<Pending> reader = _queue.Reader;
        while (true)
        {
            while (reader.TryRead(out Pending pending))
            {
                Produce(pending);
                Interlocked.Increment(ref _sent);
            }

            // Everything queued so far is with the producer: a waiting Flush may go on.
            if (Interlocked.Read(ref _sent) == Interlocked.Read(ref _queued))
            {
                _handedOver.Set();
            }

            if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                _handedOver.Set();
                return;
            }
        }
    }

    private void Produce(Pending pending)
    {
        var message = new Message<string?, byte[]> { Key = pending.Key, Value = pending.Value };
        while (true)
        {
            try
            {
                _producer.Produce(pending.Topic, message, _onDelivered);
                return;
            }
            catch (ProduceException<string?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                if (_disposing)
                {
                    // Shutting down with the broker gone: what is left is not delivered, and says so.
                    Fail(e.Error.Reason);
                    return;
                }

                // The local queue is full while the broker catches up: wait for deliveries, not drop.
                _producer.Poll(TimeSpan.FromMilliseconds(100));
            }
            catch (KafkaException e)
            {
                // Refused outright (too large, unknown topic…): counted as a failed delivery.
                Fail(e.Error.Reason);
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or ObjectDisposedException)
            {
                // Not the broker's doing, but the value is not sent either: the caller must not commit it.
                Fail(e.Message);
                return;
            }
        }
    }

    private void OnDelivered(DeliveryReport<string?, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Fail(report.Error.Reason);
        }
    }

    private void Fail(string reason)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.CompareExchange(ref _firstError, reason, null);
    }

    private readonly record struct Pending(string Topic, string? Key, byte[] Value);
}
