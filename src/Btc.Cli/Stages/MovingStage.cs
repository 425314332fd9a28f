using Btc.Cli.Kafka;
using Btc.Cli.Output;
using Btc.Rx;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;
using Btc.Rx.Windows;
using Confluent.Kafka;

namespace Btc.Cli.Stages;

/// <summary>
/// <c>btc moving</c>: btc-price → acceptance → moving statistics → btc-price-moving. It is the stage
/// that reports btc-price's invalid, late and duplicate records to btc-price-rejected; the other
/// stages reading btc-price apply the same rules and only count them.
/// </summary>
internal sealed class MovingStage : KafkaOutputStage
{
    private readonly TopicWriter<MovingStatistics> _moving;
    private readonly RejectedRecordWriter _rejected;

    public MovingStage(StageContext context)
        : base(context, "moving", [context.Settings.Topics.Price], [context.Settings.Topics.Moving, context.Settings.Topics.Rejected])
    {
        _moving = TopicWriters.Moving(context.Publisher, Settings.Topics.Moving);
        _rejected = new RejectedRecordWriter(new TopicRecordSink(context.Publisher, Settings.Topics.Rejected), Name);
        var acceptance = new AcceptanceOptions<PriceTick>
        {
            AllowedLateness = Settings.AllowedLateness,
            IdleTimeout = Settings.IdleTimeout,
            OnLate = late => _rejected.WriteLate(CurrentValue.Span, late.Timestamp, late.Watermark, Settings.AllowedLateness),
            OnDuplicate = duplicate => _rejected.WriteDuplicate(CurrentValue.Span, duplicate.Record.Symbol, duplicate.Record.Timestamp),
        };
        Subscription = Accept(acceptance)
            .MovingStatistics(new MovingStatisticsOptions { Windows = Settings.Windows })
            .Records()
            .Subscribe(_moving.Add, Fail);
    }

    public override string Describe() =>
        $"{_moving.Records:N0} moving records, {_rejected.Late:N0} late, {_rejected.Duplicate:N0} duplicate, {_rejected.Invalid:N0} invalid";

    protected override void Handle(TopicPartition source, ReadOnlyMemory<byte> value) => OnPrice(value, _rejected);
}
