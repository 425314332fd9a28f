using System.Reactive.Linq;
using System.Reactive.Subjects;
using Btc.Rx;
using Btc.Cli.Output;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;
using Confluent.Kafka;

namespace Btc.Cli.Stages;

/// <summary>
/// What the stages that write Kafka topics share: replayed input sends nothing, outputs are durable
/// once the producer has flushed, and the btc-price input is parsed one way.
/// </summary>
internal abstract class KafkaOutputStage(StageContext context, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs) : IStage
{
    private readonly PriceRecordParser _parser = new();

    public string Name => name;

    public IReadOnlyList<string> InputTopics => inputs;

    public IReadOnlyList<string> OutputTopics => outputs;

    public bool RebuildsState => true;

    protected StageSettings Settings => context.Settings;

    /// <summary>The value of the record being handled, for side outputs that quote it.</summary>
    protected ReadOnlyMemory<byte> CurrentValue { get; private set; }

    /// <summary>Prices that were not valid btc-price records.</summary>
    protected long Invalid { get; private set; }

    /// <summary>Prices invalid, late or repeated under <see cref="CountingAcceptance"/>.</summary>
    protected long NotAccepted => Invalid + _lateOrDuplicate;

    private long _lateOrDuplicate;

    /// <summary>The btc-price input, parsed, in arrival order: the stage's operators subscribe to it through <see cref="Accept"/>.</summary>
    protected Subject<PriceTick> Prices { get; } = new();

    /// <inheritdoc/>
    public long Watermark { get; private set; } = long.MinValue;

    /// <summary>The stage's operator chain, disposed with the stage.</summary>
    protected IDisposable? Subscription { get; set; }

    public void OnRecord(ConsumeResult<string?, byte[]> record, bool replay)
    {
        context.Publisher.Suppressed = replay;
        try
        {
            CurrentValue = record.Message.Value ?? [];
            Handle(record.TopicPartition, CurrentValue);
        }
        finally
        {
            context.Publisher.Suppressed = false;
        }
    }

    public virtual void Assigned(IEnumerable<TopicPartition> partitions, Func<TopicPartition, bool> readToEnd)
    {
    }

    public bool Flush(CancellationToken cancellationToken) => context.Publisher.Flush(cancellationToken);

    public abstract string Describe();

    public virtual void Dispose()
    {
        Subscription?.Dispose();
        Prices.Dispose();
    }

    /// <summary>Handles one value of <paramref name="source"/> (topic and partition).</summary>
    protected abstract void Handle(TopicPartition source, ReadOnlyMemory<byte> value);

    /// <summary>Parses a btc-price value into <see cref="Prices"/>; an invalid one is counted and goes to <paramref name="rejected"/> when given.</summary>
    protected void OnPrice(ReadOnlyMemory<byte> value, RejectedRecordWriter? rejected)
    {
        if (_parser.TryParse(value.Span, out PriceTick tick, out string? reason))
        {
            Prices.OnNext(tick);
            return;
        }

        Invalid++;
        rejected?.WriteInvalid(value.Span, reason!);
    }

    /// <summary>The prices <paramref name="options"/> accept, in event-time order, with <see cref="Watermark"/> following the acceptance's.</summary>
    protected IObservable<StreamElement<PriceTick>> Accept(AcceptanceOptions<PriceTick> options) =>
        Prices.AcceptPrices(options, context.Scheduler).Do(element =>
        {
            if (!element.IsRecord)
            {
                Watermark = element.Watermark;
            }
        });

    /// <summary>
    /// The acceptance rules of the moving stage, for a stage that reads btc-price beside it: the same
    /// decisions, counted here, reported there.
    /// </summary>
    protected AcceptanceOptions<PriceTick> CountingAcceptance(TimeSpan idleAdvance) => new()
    {
        AllowedLateness = Settings.AllowedLateness,
        IdleTimeout = Settings.IdleTimeout,
        IdleAdvance = idleAdvance,
        OnLate = _ => _lateOrDuplicate++,
        OnDuplicate = _ => _lateOrDuplicate++,
    };

    /// <summary>An operator chain failed (a bug, never bad input): stop the stage rather than skip results.</summary>
    protected void Fail(Exception error) => throw new InvalidOperationException($"The {name} stage failed: {error.Message}", error);
}
