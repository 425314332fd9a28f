using System.Reactive.Subjects;
using Btc.Rx.LookAhead;
using Btc.Rx.Records;
using Btc.Rx.Tests.Support;

namespace Btc.Rx.Tests.LookAhead;

public class LookAheadTest
{
    private readonly Subject<StreamElement<PriceTick>> _source = new();

    private Recorder<LookAheadResult> Subscribe(double horizonSeconds = 20) =>
        _source.LookAhead(new LookAheadOptions { Horizon = TimeSpan.FromSeconds(horizonSeconds) }).Record();

    private void Send(double price, double seconds, string symbol = "BTCUSDT") =>
        _source.OnNext(StreamElement<PriceTick>.FromRecord(T.Tick(symbol, price, seconds)));

    private void Watermark(double seconds) => _source.OnNext(StreamElement<PriceTick>.FromWatermark(T.At(seconds)));

    private static string[] Describe(Recorder<LookAheadResult> r) => [.. r.Values.Select(Support.Describe.LookAhead)];

    [Fact]
    public void ArgumentChecking()
    {
        Assert.Throws<ArgumentNullException>(() => ((IObservable<StreamElement<PriceTick>>)null!).LookAhead());
        Assert.Throws<ArgumentOutOfRangeException>(() => _source.LookAhead(new LookAheadOptions { Horizon = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _source.LookAhead(new LookAheadOptions { Horizon = TimeSpan.FromTicks(5) }));
    }

    [Fact]
    public void Regular_EmitsEachResultWhenItsAnswerArrives()
    {
        var recorder = Subscribe();
        Send(100, 0);
        Send(99, 0.3);
        Assert.Equal(["L BTCUSDT@0=0.3"], Describe(recorder));
        Send(101, 1.3);
        Assert.Equal(["L BTCUSDT@0=0.3", "H BTCUSDT@0.3=1", "H BTCUSDT@0=1.3"], Describe(recorder));
    }

    [Fact]
    public void EqualPrices_CountAsNeither()
    {
        var recorder = Subscribe();
        Send(100, 0);
        Send(100, 1);
        Assert.Empty(recorder.Values);
        _source.OnCompleted();
        Assert.Equal(["H BTCUSDT@0=20", "L BTCUSDT@0=20", "H BTCUSDT@1=20", "L BTCUSDT@1=20"], Describe(recorder));
        Assert.True(recorder.Completed);
    }

    [Fact]
    public void HorizonEnd_IsInclusive_AndBeyondIsNone()
    {
        var recorder = Subscribe();
        Send(100, 0);
        Send(101, 20);
        Assert.Contains("H BTCUSDT@0=20", Describe(recorder));
        Assert.Contains("L BTCUSDT@0=20", Describe(recorder));

        var later = new Subject<StreamElement<PriceTick>>();
        var beyond = later.LookAhead().Record();
        later.OnNext(StreamElement<PriceTick>.FromRecord(T.Tick(100, 0)));
        later.OnNext(StreamElement<PriceTick>.FromRecord(T.Tick(101, 20.001)));
        Assert.Equal(["H BTCUSDT@0=20", "L BTCUSDT@0=20"], [.. beyond.Values.Select(Support.Describe.LookAhead)]);
        Assert.All(beyond.Values, r => Assert.False(r.Found));
    }

    [Fact]
    public void Watermark_FinalizesExpiredHorizons_WithoutMoreTicksOfTheSymbol()
    {
        var recorder = Subscribe();
        Send(100, 0);
        Watermark(20);
        Assert.Empty(recorder.Values);
        Watermark(20.001);
        Assert.Equal(["H BTCUSDT@0=20", "L BTCUSDT@0=20"], Describe(recorder));
    }

    [Fact]
    public void AnotherSymbolsTick_AlsoProvesTheWatermarkMoved()
    {
        var recorder = Subscribe(horizonSeconds: 1);
        Send(100, 0, "A");
        Send(5, 1, "B");
        Assert.Equal(["H A@0=1", "L A@0=1"], Describe(recorder));
    }

    [Fact]
    public void MonotonicRuns_AnswerManyAtOnce()
    {
        var recorder = Subscribe();
        Send(105, 0);
        Send(104, 1);
        Send(103, 2);
        Send(106, 3);
        Assert.Equal(["L BTCUSDT@0=1", "L BTCUSDT@1=1", "H BTCUSDT@2=1", "H BTCUSDT@1=2", "H BTCUSDT@0=3"], Describe(recorder));
    }

    [Fact]
    public void Differences_AreFromIntegerMilliseconds()
    {
        var recorder = Subscribe();
        Send(100, 0.1);
        Send(101, 0.4);
        Assert.Equal(0.3, recorder.Values.Single().WindowSeconds);
    }

    [Fact]
    public void OutOfOrderOrRepeatedTick_FailsTheStream()
    {
        var recorder = Subscribe();
        Send(100, 1);
        Send(100, 1);
        Assert.IsType<InvalidOperationException>(recorder.Error);

        var other = new Subject<StreamElement<PriceTick>>();
        var backwards = other.LookAhead().Record();
        other.OnNext(StreamElement<PriceTick>.FromRecord(T.Tick("A", 1, 5)));
        other.OnNext(StreamElement<PriceTick>.FromRecord(T.Tick("B", 1, 4)));
        Assert.IsType<InvalidOperationException>(backwards.Error);
    }

    [Fact]
    public void ErrorAndDisposal()
    {
        var recorder = Subscribe();
        var error = new IOException();
        _source.OnError(error);
        Assert.Same(error, recorder.Error);

        var subject = new Subject<StreamElement<PriceTick>>();
        var disposed = subject.LookAhead().Record(out IDisposable subscription);
        subject.OnNext(StreamElement<PriceTick>.FromRecord(T.Tick(1, 0)));
        subscription.Dispose();
        subject.OnCompleted();
        Assert.Empty(disposed.Values);
        Assert.False(subject.HasObservers);
    }
}
