using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Btc.Rx.Records;
using Btc.Rx.Tests.Support;
using Btc.Rx.Watermarks;

namespace Btc.Rx.Tests.Watermarks;

public class AcceptInEventTimeTest
{
    private readonly List<LateRecord<PriceTick>> _late = [];
    private readonly List<DuplicateRecord<PriceTick>> _duplicates = [];
    private readonly Subject<PriceTick> _source = new();

    private AcceptanceOptions<PriceTick> Options(TimeSpan? idle = null) => new()
    {
        IdleTimeout = idle,
        OnLate = _late.Add,
        OnDuplicate = _duplicates.Add,
    };

    private Recorder<StreamElement<PriceTick>> Subscribe(IScheduler? scheduler = null, TimeSpan? idle = null) =>
        _source.AcceptPrices(Options(idle), scheduler ?? ImmediateScheduler.Instance).Record();

    [Fact]
    public void ArgumentChecking()
    {
        Assert.Throws<ArgumentNullException>(() => ((IObservable<PriceTick>)null!).AcceptPrices());
        Assert.Throws<ArgumentNullException>(() => _source.AcceptInEventTime(null!, t => t.Timestamp, new AcceptanceOptions<PriceTick>()));
        Assert.Throws<ArgumentNullException>(() => _source.AcceptInEventTime(t => t.Symbol, null!, new AcceptanceOptions<PriceTick>()));
        Assert.Throws<ArgumentNullException>(() => _source.AcceptInEventTime(t => t.Symbol, t => t.Timestamp, null!));
        Assert.Throws<ArgumentNullException>(() => _source.AcceptPrices(null, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => _source.AcceptPrices(new AcceptanceOptions<PriceTick> { AllowedLateness = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _source.AcceptPrices(new AcceptanceOptions<PriceTick> { AllowedLateness = TimeSpan.FromTicks(1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _source.AcceptPrices(new AcceptanceOptions<PriceTick> { IdleTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _source.AcceptPrices(new AcceptanceOptions<PriceTick> { IdleAdvance = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _source.AcceptPrices(new AcceptanceOptions<PriceTick> { IdleAdvance = TimeSpan.FromTicks(1) }));
    }

    [Fact]
    public void Regular_ReleasesWhenTheWatermarkPasses()
    {
        var recorder = Subscribe();
        _source.OnNext(T.Tick(100, 0));
        Assert.Equal(["W@-10"], Describe.Elements(recorder.Values));
        _source.OnNext(T.Tick(101, 5));
        _source.OnNext(T.Tick(102, 10));
        // The watermark is 0 now: the record at 0 is not yet final (final needs watermark > t).
        Assert.Equal(["W@-10", "W@-5", "W@0"], Describe.Elements(recorder.Values));
        _source.OnNext(T.Tick(103, 10.001));
        Assert.Equal(["W@-10", "W@-5", "W@0", "BTCUSDT@0=100", "W@0.001"], Describe.Elements(recorder.Values));
        _source.OnCompleted();
        Assert.Equal(["W@-10", "W@-5", "W@0", "BTCUSDT@0=100", "W@0.001", "BTCUSDT@5=101", "BTCUSDT@10=102", "BTCUSDT@10.001=103"], Describe.Elements(recorder.Values));
        Assert.True(recorder.Completed);
        Assert.Empty(_late);
        Assert.Empty(_duplicates);
    }

    [Fact]
    public void SingleRecord_IsFlushedAtCompletion()
    {
        var recorder = Subscribe();
        _source.OnNext(T.Tick(100, 0));
        _source.OnCompleted();
        Assert.Equal(["W@-10", "BTCUSDT@0=100"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void OutOfOrderWithinLateness_ComesOutInEventTimeOrder()
    {
        var recorder = Subscribe();
        _source.OnNext(T.Tick(3, 3));
        _source.OnNext(T.Tick(1, 1));
        _source.OnNext(T.Tick("ETHUSDT", 9, 2));
        _source.OnNext(T.Tick(2, 2));
        _source.OnCompleted();
        Assert.Equal(["W@-7", "BTCUSDT@1=1", "ETHUSDT@2=9", "BTCUSDT@2=2", "BTCUSDT@3=3"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void ExactlyTenSecondsLate_IsAccepted()
    {
        var recorder = Subscribe();
        _source.OnNext(T.Tick(1, 20));
        _source.OnNext(T.Tick(2, 10));
        _source.OnCompleted();
        Assert.Empty(_late);
        Assert.Equal(["W@10", "BTCUSDT@10=2", "BTCUSDT@20=1"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void ElevenSecondsLate_IsDroppedWithTheWatermark()
    {
        var recorder = Subscribe();
        _source.OnNext(T.Tick(1, 20));
        _source.OnNext(T.Tick(2, 9));
        _source.OnNext(T.Tick(3, 9.999));
        _source.OnCompleted();
        Assert.Equal([T.At(9), T.At(9.999)], _late.Select(l => l.Timestamp));
        Assert.All(_late, l => Assert.Equal(T.At(10), l.Watermark));
        Assert.Equal(["W@10", "BTCUSDT@20=1"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void LatenessIsAcrossSymbols()
    {
        var recorder = Subscribe();
        _source.OnNext(T.Tick("ETHUSDT", 1, 30));
        _source.OnNext(T.Tick("BTCUSDT", 2, 15));
        _source.OnCompleted();
        Assert.Single(_late);
        Assert.Equal(["W@20", "ETHUSDT@30=1"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void Duplicates_FirstWins_WithEqualOrDifferentPrice()
    {
        var recorder = Subscribe();
        _source.OnNext(T.Tick(100, 1));
        _source.OnNext(T.Tick(100, 1));
        _source.OnNext(T.Tick(999, 1));
        _source.OnNext(T.Tick("ETHUSDT", 5, 1));
        _source.OnCompleted();
        Assert.Equal(2, _duplicates.Count);
        Assert.All(_duplicates, d => Assert.Equal(100, d.Accepted.Price));
        Assert.Equal([100.0, 999.0], _duplicates.Select(d => d.Record.Price));
        Assert.Equal(["W@-9", "BTCUSDT@1=100", "ETHUSDT@1=5"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void Duplicates_AmongManySymbolsAtOneTime_AndOfOutOfOrderRecords()
    {
        // A duplicate is looked for only when a record is not newer than its symbol's newest: in the
        // queue of in-order records (a run of equal times) and among the out-of-order ones.
        var recorder = Subscribe();
        foreach (string symbol in new[] { "A", "B", "C", "D", "E" })
        {
            _source.OnNext(T.Tick(symbol, 1, 2));
        }

        _source.OnNext(T.Tick("F", 1, 3));
        _source.OnNext(T.Tick("C", 7, 2));   // repeats C@2, queued in order
        _source.OnNext(T.Tick("A", 1, 1));   // out of order, new
        _source.OnNext(T.Tick("A", 8, 1));   // repeats the out-of-order A@1
        _source.OnNext(T.Tick("G", 1, 2));   // out of order, new, at a time others hold
        _source.OnNext(T.Tick("F", 9, 3));   // repeats F@3, the newest queued
        _source.OnNext(T.Tick("E", 1, 2.5)); // new: E's newest is 2, this is later
        _source.OnCompleted();
        Assert.Equal([("C", 7.0), ("A", 8.0), ("F", 9.0)], _duplicates.Select(d => (d.Record.Symbol, d.Record.Price)));
        Assert.Equal([1.0, 1.0, 1.0], _duplicates.Select(d => d.Accepted.Price));
        Assert.Equal(9, recorder.Values.Count(e => e.IsRecord));
    }

    [Fact]
    public void RepeatAfterRelease_IsLateNotDuplicate()
    {
        Subscribe();
        _source.OnNext(T.Tick(100, 1));
        _source.OnNext(T.Tick(100, 12));
        _source.OnNext(T.Tick(100, 1));
        Assert.Empty(_duplicates);
        Assert.Single(_late);
    }

    [Fact]
    public void Error_IsForwardedAfterNothingElse()
    {
        var recorder = Subscribe();
        _source.OnNext(T.Tick(100, 1));
        var error = new InvalidOperationException("boom");
        _source.OnError(error);
        Assert.Same(error, recorder.Error);
        Assert.Equal(["W@-9"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void SelectorThatThrows_FailsTheStream()
    {
        var error = new FormatException("bad key");
        var recorder = _source.AcceptInEventTime(_ => throw error, t => t.Timestamp, new AcceptanceOptions<PriceTick>()).Record();
        _source.OnNext(T.Tick(100, 1));
        Assert.Same(error, recorder.Error);
        Assert.False(_source.HasObservers);
    }

    [Fact]
    public void DisposalMidStream_SilencesAndUnsubscribes()
    {
        var recorder = _source.AcceptPrices(Options()).Record(out IDisposable subscription);
        _source.OnNext(T.Tick(100, 1));
        subscription.Dispose();
        Assert.False(_source.HasObservers);
        _source.OnNext(T.Tick(100, 30));
        _source.OnCompleted();
        Assert.Equal(["W@-9"], Describe.Elements(recorder.Values));
        Assert.False(recorder.Completed);
    }

    [Fact]
    public void IdleTimeout_FinalizesAQuietInput_OnVirtualTime()
    {
        var scheduler = new HistoricalScheduler();
        var recorder = Subscribe(scheduler, idle: TimeSpan.FromSeconds(5));
        _source.OnNext(T.Tick(100, 1));
        _source.OnNext(T.Tick(101, 2));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(3));
        _source.OnNext(T.Tick(102, 3));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(4.999));
        Assert.Equal(["W@-9", "W@-8", "W@-7"], Describe.Elements(recorder.Values));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["W@-9", "W@-8", "W@-7", "BTCUSDT@1=100", "BTCUSDT@2=101", "BTCUSDT@3=102", "W@3.001"], Describe.Elements(recorder.Values));

        // After the idle point, anything at or before the last timestamp seen is late.
        _source.OnNext(T.Tick(103, 3));
        Assert.Single(_late);
        Assert.Equal(T.At(3.001), _late[0].Watermark);
        _source.OnNext(T.Tick(104, 4));
        _source.OnCompleted();
        Assert.Equal("BTCUSDT@4=104", Describe.Element(recorder.Values[^1]));
    }

    [Fact]
    public void IdleAdvance_MovesTheIdleWatermarkThatFarPastTheLargestTimestamp_AndRecordsBeforeItAreLate()
    {
        var scheduler = new HistoricalScheduler();
        var recorder = _source.AcceptPrices(new AcceptanceOptions<PriceTick> { IdleTimeout = TimeSpan.FromSeconds(1), IdleAdvance = TimeSpan.FromSeconds(20), OnLate = _late.Add }, scheduler).Record();
        _source.OnNext(T.Tick(100, 1));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal(["W@-9", "BTCUSDT@1=100", "W@21"], Describe.Elements(recorder.Values));

        // A second idle period changes nothing; a record before the idle watermark is late, one after it counts.
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5));
        _source.OnNext(T.Tick(101, 20.999));
        _source.OnNext(T.Tick(102, 21));
        _source.OnCompleted();
        Assert.Single(_late);
        Assert.Equal(["W@-9", "BTCUSDT@1=100", "W@21", "BTCUSDT@21=102"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void IdleTimeout_TimerIsDisposedWithTheSubscription()
    {
        var scheduler = new HistoricalScheduler();
        var recorder = _source.AcceptPrices(Options(TimeSpan.FromSeconds(1)), scheduler).Record(out IDisposable subscription);
        _source.OnNext(T.Tick(100, 1));
        subscription.Dispose();
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10));
        Assert.Equal(["W@-9"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void SideOutputCallbackThatThrows_FailsTheStream()
    {
        var error = new IOException("disk full");
        var recorder = _source.AcceptPrices(new AcceptanceOptions<PriceTick> { OnLate = _ => throw error }).Record();
        _source.OnNext(T.Tick(100, 20));
        _source.OnNext(T.Tick(100, 1));
        Assert.Same(error, recorder.Error);
    }

    [Fact]
    public void ZeroLateness_ReleasesRecordsAtTheNextLaterTimestamp()
    {
        var recorder = _source.AcceptPrices(new AcceptanceOptions<PriceTick> { AllowedLateness = TimeSpan.Zero, OnLate = _late.Add }).Record();
        _source.OnNext(T.Tick(1, 1));
        _source.OnNext(T.Tick(2, 2));
        _source.OnNext(T.Tick(9, 1.5));
        Assert.Single(_late);
        Assert.Equal(["W@1", "BTCUSDT@1=1", "W@2"], Describe.Elements(recorder.Values));
    }

    [Fact]
    public void ManyRecords_OnTheDefaultScheduler_ComeOutSorted()
    {
        var random = new Random(5);
        var ticks = Enumerable.Range(0, 5000).Select(i => T.Tick("S" + (i % 7), 1 + i, (i * 0.01) + (random.Next(0, 500) / 100.0))).ToList();
        var result = ticks.ToObservable().AcceptPrices().Records().ToList().Wait();
        Assert.Equal(result.Select(r => r.Timestamp).Order(), result.Select(r => r.Timestamp));
        Assert.Equal(ticks.DistinctBy(t => (t.Symbol, t.Timestamp)).Count(), result.Count);
    }
}
