using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Btc.Rx.Internal;
using Btc.Rx.Joins;
using Btc.Rx.LookAhead;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;
using Btc.Rx.Windows;

namespace Btc.Rx;

/// <summary>
/// The event-time operators of the btc pipeline: parse, accept (watermarks and allowed lateness),
/// moving statistics, the event-time join to z-scores, and the look-ahead scan.
/// </summary>
/// <remarks>
/// Typical composition:
/// <code>
/// IObservable&lt;StreamElement&lt;PriceTick&gt;&gt; accepted = ticks.AcceptPrices(new AcceptanceOptions&lt;PriceTick&gt;());
/// IObservable&lt;StreamElement&lt;MovingStatistics&gt;&gt; moving = accepted.MovingStatistics();
/// IObservable&lt;ZScores&gt; zscores = accepted.ZScores(moving);
/// IObservable&lt;LookAheadResult&gt; bonus = accepted.LookAhead();
/// </code>
/// Share <c>accepted</c> (for example with <c>Publish</c>) when it feeds several operators.
/// </remarks>
public static class EventTimeObservable
{
    /// <summary>
    /// Parses UTF-8 JSON <c>btc-price</c> values into ticks. Invalid values never fail the stream: each
    /// goes to <paramref name="onInvalid"/> with its reason.
    /// </summary>
    /// <param name="source">Raw values, for example Kafka message values or lines of a file.</param>
    /// <param name="onInvalid">The dead-letter side output; called on the delivering thread.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IObservable<PriceTick> ParsePrices(this IObservable<ReadOnlyMemory<byte>> source, Action<InvalidRecord>? onInvalid = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new OperatorObservable<PriceTick>(observer =>
        {
            var sink = new ParsePricesSink(observer, onInvalid);
            sink.AddUpstream(source.SubscribeSafe(sink));
            return sink;
        });
    }

    /// <summary>
    /// Applies the acceptance rules: records in arrival order in; accepted records out in event-time
    /// order (ties in arrival order), each once the watermark has passed it, followed by the new
    /// watermark. Late and duplicate records go to the side outputs of <paramref name="options"/>.
    /// When the source completes, everything pending is emitted.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="source">Records in arrival order.</param>
    /// <param name="keySelector">The record's key (symbol); duplicates are equal (key, timestamp).</param>
    /// <param name="timestampSelector">The record's event time in milliseconds since the Unix epoch.</param>
    /// <param name="options">Allowed lateness, idle timeout and side outputs.</param>
    /// <param name="scheduler">The scheduler the idle timeout reads time from.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IObservable<StreamElement<T>> AcceptInEventTime<T>(
        this IObservable<T> source,
        Func<T, string> keySelector,
        Func<T, long> timestampSelector,
        AcceptanceOptions<T> options,
        IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(timestampSelector);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scheduler);
        options.Validate();
        return new OperatorObservable<StreamElement<T>>(observer =>
        {
            var sink = new AcceptInEventTimeSink<T>(observer, keySelector, timestampSelector, options, scheduler);
            sink.AddUpstream(source.SubscribeSafe(sink));
            return sink;
        });
    }

    /// <summary>
    /// <see cref="AcceptInEventTime{T}(IObservable{T}, Func{T, string}, Func{T, long}, AcceptanceOptions{T}, IScheduler)"/>
    /// on the default scheduler.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IObservable<StreamElement<T>> AcceptInEventTime<T>(this IObservable<T> source, Func<T, string> keySelector, Func<T, long> timestampSelector, AcceptanceOptions<T> options) =>
        source.AcceptInEventTime(keySelector, timestampSelector, options, DefaultScheduler.Instance);

    /// <summary>Accepts ticks by (symbol, timestamp); see <see cref="AcceptInEventTime{T}(IObservable{T}, Func{T, string}, Func{T, long}, AcceptanceOptions{T}, IScheduler)"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IObservable<StreamElement<PriceTick>> AcceptPrices(this IObservable<PriceTick> source, AcceptanceOptions<PriceTick>? options, IScheduler scheduler) =>
        source.AcceptInEventTime(static t => t.Symbol, static t => t.Timestamp, options ?? new AcceptanceOptions<PriceTick>(), scheduler);

    /// <summary>Accepts ticks by (symbol, timestamp) on the default scheduler.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IObservable<StreamElement<PriceTick>> AcceptPrices(this IObservable<PriceTick> source, AcceptanceOptions<PriceTick>? options) =>
        source.AcceptPrices(options, DefaultScheduler.Instance);

    /// <summary>Accepts ticks by (symbol, timestamp) with the default options: 10 s allowed lateness, no idle timeout, no side outputs.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IObservable<StreamElement<PriceTick>> AcceptPrices(this IObservable<PriceTick> source) =>
        source.AcceptPrices(null, DefaultScheduler.Instance);

    /// <summary>
    /// For each tick, the mean and sample standard deviation of its symbol's prices over each window
    /// (t − L, t], exact to 1e-9 relative and without drift; watermarks pass through.
    /// </summary>
    /// <param name="source">Ticks in event-time order per symbol, for example from <see cref="AcceptPrices(IObservable{PriceTick}, AcceptanceOptions{PriceTick}?)"/>.</param>
    /// <param name="options">The windows; default 30s, 1m, 5m, 15m, 30m, 1h.</param>
    /// <returns>One statistics record per tick, in input order. A tick out of order fails the stream with an <see cref="InvalidOperationException"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IObservable<StreamElement<MovingStatistics>> MovingStatistics(this IObservable<StreamElement<PriceTick>> source, MovingStatisticsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        WindowSet windows = (options ?? new MovingStatisticsOptions()).Windows ?? throw new ArgumentException("Windows must be set.", nameof(options));
        return new OperatorObservable<StreamElement<MovingStatistics>>(observer =>
        {
            var sink = new MovingStatisticsSink(observer, windows);
            sink.AddUpstream(source.SubscribeSafe(sink));
            return sink;
        });
    }

    /// <summary>
    /// Joins two event-time streams on equal (key, timestamp): bounds [0, 0], both ends inclusive.
    /// A record waits for its partner until the other input's watermark passes its timestamp (or that
    /// input ends); then it is unmatched and goes to the side output of <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IObservable<TResult> JoinInEventTime<TLeft, TRight, TResult>(
        this IObservable<StreamElement<TLeft>> left,
        IObservable<StreamElement<TRight>> right,
        Func<TLeft, (string Key, long Timestamp)> leftKey,
        Func<TRight, (string Key, long Timestamp)> rightKey,
        Func<TLeft, TRight, TResult> resultSelector,
        EventTimeJoinOptions<TLeft, TRight>? options = null)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(leftKey);
        ArgumentNullException.ThrowIfNull(rightKey);
        ArgumentNullException.ThrowIfNull(resultSelector);
        options ??= new EventTimeJoinOptions<TLeft, TRight>();
        return new OperatorObservable<TResult>(observer =>
        {
            var sink = new EventTimeJoinSink<TLeft, TRight, TResult>(observer, leftKey, rightKey, resultSelector, options);
            sink.AddUpstream(left.SubscribeSafe(sink.LeftObserver));
            sink.AddUpstream(right.SubscribeSafe(sink.RightObserver));
            return sink;
        });
    }

    /// <summary>
    /// Z-scores: each price joined in event time with the moving statistics of the same (symbol,
    /// timestamp), then (price − mean) / std per window, exactly 0 where std is 0.
    /// </summary>
    /// <param name="prices">Accepted prices.</param>
    /// <param name="moving">Accepted moving statistics.</param>
    /// <param name="options">Side outputs for records whose partner never came.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IObservable<ZScores> ZScores(
        this IObservable<StreamElement<PriceTick>> prices,
        IObservable<StreamElement<MovingStatistics>> moving,
        EventTimeJoinOptions<PriceTick, MovingStatistics>? options = null) =>
        prices.JoinInEventTime(
            moving,
            static p => (p.Symbol, p.Timestamp),
            static m => (m.Symbol, m.Timestamp),
            global::Btc.Rx.Records.ZScores.Of,
            options);

    /// <summary>
    /// For each tick, the seconds to the first strictly higher and the first strictly lower price of
    /// the same symbol within (t, t + horizon], or the horizon when none comes; each result is emitted
    /// as soon as it is final.
    /// </summary>
    /// <param name="source">Accepted ticks in event-time order, with watermarks.</param>
    /// <param name="options">The horizon; default 20 s.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The horizon is out of range.</exception>
    public static IObservable<LookAheadResult> LookAhead(this IObservable<StreamElement<PriceTick>> source, LookAheadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new LookAheadOptions();
        options.Validate();
        long horizon = options.HorizonMs;
        return new OperatorObservable<LookAheadResult>(observer =>
        {
            var sink = new LookAheadSink(observer, horizon);
            sink.AddUpstream(source.SubscribeSafe(sink));
            return sink;
        });
    }

    /// <summary>Drops the watermarks of an event-time stream, keeping its records.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IObservable<T> Records<T>(this IObservable<StreamElement<T>> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Where(static e => e.IsRecord).Select(static e => e.Record);
    }
}
