using Btc.Cli.Kafka;
using Btc.Rx;
using Btc.Rx.Joins;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;
using Confluent.Kafka;

namespace Btc.Cli.Stages;

/// <summary>
/// <c>btc zscore</c>: btc-price joined in event time with btc-price-moving → btc-price-zscore. Prices
/// pass the same acceptance as in the moving stage (so exactly the prices that have statistics take
/// part; that stage reports the rejected ones). Moving records arrive in event-time order within each
/// partition, so each one is joined as it arrives and proves every earlier timestamp of its partition
/// complete; repeats a restarted moving stage may have written are dropped (<see cref="InOrderInput{T}"/>).
/// A price waits for its statistics until the moving input's watermark passes its timestamp.
/// </summary>
internal sealed class ZScoreStage : KafkaOutputStage
{
    private readonly InOrderInput<MovingStatistics> _moving = new(static m => m.Symbol, static m => m.Timestamp);
    private readonly TopicJsonReader _reader = new();
    private readonly TopicWriter<ZScores> _zscores;
    private long _repeatedMoving;
    private long _unmatched;
    private long _invalidMoving;

    public ZScoreStage(StageContext context)
        : base(context, "zscore", [context.Settings.Topics.Price, context.Settings.Topics.Moving], [context.Settings.Topics.ZScore])
    {
        _zscores = TopicWriters.ZScores(context.Publisher, Settings.Topics.ZScore);
        // Idle: just past everything seen, as the moving stage does, so the same prices are accepted.
        IObservable<StreamElement<PriceTick>> prices = Accept(CountingAcceptance(TimeSpan.FromMilliseconds(1)));
        Subscription = prices
            .ZScores(_moving.Elements, new EventTimeJoinOptions<PriceTick, MovingStatistics> { OnUnmatchedLeft = _ => _unmatched++, OnUnmatchedRight = _ => _unmatched++ })
            .Subscribe(_zscores.Add, Fail);
    }

    public override string Describe() =>
        $"{_zscores.Records:N0} z-score records, {_unmatched:N0} unmatched, {NotAccepted:N0} prices not accepted, {_repeatedMoving:N0} repeated and {_invalidMoving:N0} invalid moving records";

    public override void Assigned(IEnumerable<TopicPartition> partitions, Func<TopicPartition, bool> readToEnd)
    {
        // Asked for every partition on every moving record: the partitions are looked up, not made anew.
        Dictionary<int, TopicPartition> moving = partitions.Where(p => p.Topic == Settings.Topics.Moving).ToDictionary(p => p.Partition.Value);
        _moving.Expect(moving.Keys, partition => moving.TryGetValue(partition, out TopicPartition? known) && readToEnd(known));
    }

    public override void Dispose()
    {
        base.Dispose();
        _moving.Dispose();
    }

    protected override void Handle(TopicPartition source, ReadOnlyMemory<byte> value)
    {
        if (source.Topic == Settings.Topics.Price)
        {
            OnPrice(value, null);
        }
        else if (_reader.TryReadMoving(value.Span, out MovingStatistics? statistics))
        {
            if (!_moving.Offer(statistics!, source.Partition.Value))
            {
                _repeatedMoving++;
            }
        }
        else
        {
            _invalidMoving++;
        }
    }
}
