using Btc.Cli.Kafka;
using Btc.Cli.Output;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Confluent.Kafka;

namespace Btc.Cli.Stages;

/// <summary>
/// What the stages that write Kafka topics share: replayed input sends nothing, outputs are durable
/// once the producer has flushed, and the btc-price input is parsed one way.
/// </summary>
internal abstract class KafkaOutputStage(StageContext context, string name) : IStage
{
    private readonly PriceRecordParser _parser = new();

    public string Name => name;

    public abstract IReadOnlyList<string> InputTopics { get; }

    public abstract IReadOnlyList<string> OutputTopics { get; }

    public bool RebuildsState => true;

    protected StageContext Context => context;

    protected StageSettings Settings => context.Settings;

    /// <summary>The value of the record being handled, for side outputs that quote it.</summary>
    protected ReadOnlyMemory<byte> CurrentValue { get; private set; }

    /// <summary>Prices that were not valid btc-price records.</summary>
    protected long Invalid { get; private set; }

    public void OnRecord(ConsumeResult<string?, byte[]> record, bool replay)
    {
        context.Publisher.Suppressed = replay;
        try
        {
            CurrentValue = record.Message.Value ?? [];
            Handle(record.Topic, CurrentValue);
        }
        finally
        {
            context.Publisher.Suppressed = false;
        }
    }

    public bool Flush(CancellationToken cancellationToken) => context.Publisher.Flush(cancellationToken);

    public abstract string Describe();

    public virtual void Dispose()
    {
    }

    protected abstract void Handle(string topic, ReadOnlyMemory<byte> value);

    /// <summary>Parses a btc-price value; an invalid one goes to <paramref name="rejected"/> when given, and is counted.</summary>
    protected bool TryParsePrice(ReadOnlyMemory<byte> value, RejectedRecordWriter? rejected, out PriceTick tick)
    {
        if (_parser.TryParse(value.Span, out tick, out string? reason))
        {
            return true;
        }

        Invalid++;
        rejected?.WriteInvalid(value.Span, reason!);
        return false;
    }
}
