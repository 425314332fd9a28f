using System.Reactive.Subjects;
using Btc.Cli.Kafka;
using Btc.Rx;
using Btc.Rx.Joins;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;

namespace Btc.Cli.Stages;

/// <summary>
/// <c>btc zscore</c>: btc-price joined in event time with btc-price-moving → btc-price-zscore. Prices
/// pass the same acceptance as in the moving stage (so exactly the prices that have statistics take
/// part; that stage reports the rejected ones). Moving records arrive in event-time order, so each one
/// proves every earlier timestamp complete: they pass an acceptance with no allowed lateness, which
/// also drops the repeats a restarted moving stage may have written. A price waits for its statistics
/// until the moving input's watermark passes its timestamp.
/// </summary>
internal sealed class ZScoreStage : KafkaOutputStage
{
    private readonly Subject<MovingStatistics> _moving = new();
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
        IObservable<StreamElement<PriceTick>> prices = Prices.AcceptPrices(CountingAcceptance(TimeSpan.FromMilliseconds(1)), context.Scheduler);
        IObservable<StreamElement<MovingStatistics>> moving = _moving.AcceptInEventTime(
            static m => m.Symbol,
            static m => m.Timestamp,
            new AcceptanceOptions<MovingStatistics>
            {
                AllowedLateness = TimeSpan.Zero,
                IdleTimeout = Settings.IdleTimeout,
                OnLate = _ => _repeatedMoving++,
                OnDuplicate = _ => _repeatedMoving++,
            },
            context.Scheduler);
        Subscription = prices
            .ZScores(moving, new EventTimeJoinOptions<PriceTick, MovingStatistics> { OnUnmatchedLeft = _ => _unmatched++, OnUnmatchedRight = _ => _unmatched++ })
            .Subscribe(_zscores.Add, Fail);
    }

    public override string Describe() =>
        $"{_zscores.Records:N0} z-score records, {_unmatched:N0} unmatched, {NotAccepted:N0} prices not accepted, {_repeatedMoving:N0} repeated and {_invalidMoving:N0} invalid moving records";

    public override void Dispose()
    {
        base.Dispose();
        _moving.Dispose();
    }

    protected override void Handle(string topic, ReadOnlyMemory<byte> value)
    {
        if (topic == Settings.Topics.Price)
        {
            OnPrice(value, null);
        }
        else if (_reader.TryReadMoving(value.Span, out MovingStatistics? statistics))
        {
            _moving.OnNext(statistics!);
        }
        else
        {
            _invalidMoving++;
        }
    }
}
