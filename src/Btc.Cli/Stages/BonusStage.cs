using Btc.Cli.Kafka;
using Btc.Rx;
using Btc.Rx.LookAhead;
using Btc.Rx.Records;
using Confluent.Kafka;

namespace Btc.Cli.Stages;

/// <summary>
/// <c>btc bonus</c>: btc-price → acceptance → look-ahead scan → btc-price-higher and btc-price-lower.
/// Rejected prices are counted here and reported by the moving stage, which applies the same rules.
/// </summary>
internal sealed class BonusStage : KafkaOutputStage
{
    private readonly TopicWriter<LookAheadResult> _higher;
    private readonly TopicWriter<LookAheadResult> _lower;

    public BonusStage(StageContext context)
        : base(context, "bonus", [context.Settings.Topics.Price], [context.Settings.Topics.Higher, context.Settings.Topics.Lower])
    {
        _higher = TopicWriters.LookAhead(context.Publisher, Settings.Topics.Higher);
        _lower = TopicWriters.LookAhead(context.Publisher, Settings.Topics.Lower);
        // An idle input must finalize the last look-aheads too, so the watermark moves past the horizon.
        Subscription = Accept(CountingAcceptance(Settings.Horizon + TimeSpan.FromMilliseconds(1)))
            .LookAhead(new LookAheadOptions { Horizon = Settings.Horizon })
            .Subscribe(result => (result.Direction == LookAheadDirection.Higher ? _higher : _lower).Add(result), Fail);
    }

    public override string Describe() =>
        $"{_higher.Records:N0} higher and {_lower.Records:N0} lower records, {NotAccepted:N0} prices not accepted";

    protected override void Handle(TopicPartition source, ReadOnlyMemory<byte> value) => OnPrice(value, null);
}
