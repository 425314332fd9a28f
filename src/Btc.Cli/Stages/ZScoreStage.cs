using System.Reactive.Linq;
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
    private readonly Subject<PriceTick> _prices = new();
    private readonly Subject<MovingStatistics> _moving = new();
    private readonly TopicJsonReader _reader = new();
    private readonly TopicWriter<ZScores> _zscores;
    private readonly IDisposable _subscription;
    private long _rejectedPrices;
    private long _repeatedMoving;
    private long _unmatched;
    private long _invalidMoving;

    public ZScoreStage(StageContext context)
        : base(context, "zscore")
    {
        StageTopics topics = context.Settings.Topics;
        InputTopics = [topics.Price, topics.Moving];
        OutputTopics = [topics.ZScore];
        _zscores = TopicWriters.ZScores(context.Publisher, topics.ZScore);
        IObservable<StreamElement<PriceTick>> prices = _prices.AcceptPrices(
            new AcceptanceOptions<PriceTick>
            {
                AllowedLateness = Settings.AllowedLateness,
                IdleTimeout = Settings.IdleTimeout,
                OnLate = _ => _rejectedPrices++,
                OnDuplicate = _ => _rejectedPrices++,
            },
            context.Scheduler);
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
        _subscription = prices
            .ZScores(moving, new EventTimeJoinOptions<PriceTick, MovingStatistics> { OnUnmatchedLeft = _ => _unmatched++, OnUnmatchedRight = _ => _unmatched++ })
            .Subscribe(_zscores.Add, error => throw new InvalidOperationException("The zscore stage failed: " + error.Message, error));
    }

    public override IReadOnlyList<string> InputTopics { get; }

    public override IReadOnlyList<string> OutputTopics { get; }

    public override string Describe() =>
        $"{_zscores.Records:N0} z-score records, {_unmatched:N0} unmatched, {_rejectedPrices + Invalid:N0} prices not accepted, {_repeatedMoving:N0} repeated and {_invalidMoving:N0} invalid moving records";

    public override void Dispose()
    {
        _subscription.Dispose();
        _prices.Dispose();
        _moving.Dispose();
    }

    protected override void Handle(string topic, ReadOnlyMemory<byte> value)
    {
        if (topic == Settings.Topics.Price)
        {
            if (TryParsePrice(value, null, out PriceTick tick))
            {
                _prices.OnNext(tick);
            }
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
