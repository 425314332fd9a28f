using System.Reactive.Linq;
using System.Reactive.Subjects;
using Btc.Rx.Records;
using Btc.Rx.Tests.Support;
using Btc.Rx.Windows;

namespace Btc.Rx.Tests.Windows;

public class MovingStatisticsTest
{
    private static readonly WindowSet Windows = WindowSet.Parse("30s,1m");
    private readonly Subject<StreamElement<PriceTick>> _source = new();

    private Recorder<StreamElement<MovingStatistics>> Subscribe() =>
        _source.MovingStatistics(new MovingStatisticsOptions { Windows = Windows }).Record();

    private void Send(double price, double seconds, string symbol = "BTCUSDT") =>
        _source.OnNext(StreamElement<PriceTick>.FromRecord(T.Tick(symbol, price, seconds)));

    private static (double Mean, double Std) At(Recorder<StreamElement<MovingStatistics>> r, int index, int window)
    {
        MovingStatistics m = r.Values.Where(e => e.IsRecord).Select(e => e.Record).ElementAt(index);
        return (m.Mean(window), m.StandardDeviation(window));
    }

    [Fact]
    public void ArgumentChecking()
    {
        Assert.Throws<ArgumentNullException>(() => ((IObservable<StreamElement<PriceTick>>)null!).MovingStatistics());
        Assert.Throws<ArgumentException>(() => _source.MovingStatistics(new MovingStatisticsOptions { Windows = null! }));
    }

    [Fact]
    public void DefaultWindows_AreTheLabsSix()
    {
        var recorder = _source.MovingStatistics().Record();
        Send(100, 0);
        Assert.Equal("30s,1m,5m,15m,30m,1h", recorder.Values[0].Record.Windows.ToString());
    }

    [Fact]
    public void SingleRecord_HasItsPriceAndZeroStd()
    {
        var recorder = Subscribe();
        Send(104235.12, 0);
        Assert.Equal((104235.12, 0.0), At(recorder, 0, 0));
    }

    [Fact]
    public void Regular_SampleStandardDeviation()
    {
        var recorder = Subscribe();
        Send(1, 0);
        Send(2, 1);
        Send(4, 2);
        // mean 7/3, sample variance ((1-7/3)^2 + (2-7/3)^2 + (4-7/3)^2) / 2 = 7/3
        Assert.Equal(7.0 / 3, At(recorder, 2, 0).Mean, 1e-14);
        Assert.Equal(Math.Sqrt(7.0 / 3), At(recorder, 2, 0).Std, 1e-14);
    }

    [Fact]
    public void EqualPrices_StdIsExactlyZero_EvenNear1e5()
    {
        var recorder = Subscribe();
        for (int i = 0; i < 1000; i++)
        {
            Send(99999.99999999, i * 0.1);
        }

        Assert.All(recorder.Values, e => Assert.Equal(0.0, e.Record.StandardDeviation(0)));
        Assert.All(recorder.Values, e => Assert.Equal(99999.99999999, e.Record.Mean(1)));
    }

    [Fact]
    public void WindowEdge_RecordExactlyLEarlierIsOut()
    {
        var recorder = Subscribe();
        Send(10, 0);
        Send(20, 29.999);
        Send(30, 30);
        Assert.Equal(15, At(recorder, 1, 0).Mean);
        Assert.Equal(25, At(recorder, 2, 0).Mean); // 10 at t−30s is excluded
        Assert.Equal(20, At(recorder, 2, 1).Mean); // but inside 1m
    }

    [Fact]
    public void GapLongerThanEveryWindow_StartsAfresh()
    {
        var recorder = Subscribe();
        Send(10, 0);
        Send(20, 1);
        Send(50_000, 3600);
        Send(50_001, 3601);
        Assert.Equal((50_000.0, 0.0), At(recorder, 2, 1));
        Assert.Equal(50_000.5, At(recorder, 3, 1).Mean);
        Assert.Equal(Math.Sqrt(0.5), At(recorder, 3, 1).Std, 1e-14);
    }

    [Fact]
    public void SymbolsInterleaved_AreIndependent()
    {
        var recorder = Subscribe();
        Send(1, 0, "A");
        Send(1000, 0, "B");
        Send(3, 1, "A");
        Send(3000, 1, "B");
        Assert.Equal(2, At(recorder, 2, 0).Mean);
        Assert.Equal(2000, At(recorder, 3, 0).Mean);
    }

    [Fact]
    public void EqualSymbolsAsDistinctStrings_ShareOneState()
    {
        var recorder = Subscribe();
        Send(1, 0, new string("BTCUSDT".AsSpan()));
        Send(7, 0, "ETHUSDT");
        Send(3, 1, new string("BTCUSDT".AsSpan()));
        Send(5, 2, new string("BTCUSDT".AsSpan()));
        Assert.Equal(3, At(recorder, 3, 0).Mean);
        Assert.Equal(7, At(recorder, 1, 0).Mean);
    }

    [Fact]
    public void MoreThanSixWindows_EachKeepsItsOwnValues()
    {
        // Records hold up to six windows inline; more take an array. Window k of 1..8 s holds prices k..8 at t = 7 s.
        var windows = WindowSet.Parse("1s,2s,3s,4s,5s,6s,7s,8s");
        var recorder = _source.MovingStatistics(new MovingStatisticsOptions { Windows = windows }).Record();
        for (int second = 0; second < 8; second++)
        {
            Send(second + 1, second);
        }

        MovingStatistics last = recorder.Values[^1].Record;
        for (int w = 0; w < 8; w++)
        {
            double[] prices = [.. Enumerable.Range(8 - w, w + 1).Select(p => (double)p).Where(p => p >= 1)];
            double mean = prices.Average();
            double std = prices.Length < 2 ? 0 : Math.Sqrt(prices.Sum(p => (p - mean) * (p - mean)) / (prices.Length - 1));
            Assert.Equal(mean, last.Mean(w), 1e-12);
            Assert.Equal(std, last.StandardDeviation(w), 1e-12);
        }
    }

    [Fact]
    public void Watermarks_PassThrough()
    {
        var recorder = Subscribe();
        _source.OnNext(StreamElement<PriceTick>.FromWatermark(T.At(5)));
        Assert.False(recorder.Values[0].IsRecord);
        Assert.Equal(T.At(5), recorder.Values[0].Watermark);
    }

    [Fact]
    public void OutOfOrderTick_FailsTheStream()
    {
        var recorder = Subscribe();
        Send(1, 5);
        Send(2, 4);
        Assert.IsType<InvalidOperationException>(recorder.Error);
        Assert.False(_source.HasObservers);
    }

    [Fact]
    public void ErrorAndCompletion_AreForwarded()
    {
        var recorder = Subscribe();
        var error = new TimeoutException();
        _source.OnError(error);
        Assert.Same(error, recorder.Error);

        var subject = new Subject<StreamElement<PriceTick>>();
        var completed = subject.MovingStatistics().Record();
        subject.OnCompleted();
        Assert.True(completed.Completed);
    }

    [Fact]
    public void DisposalMidStream_Unsubscribes()
    {
        var recorder = _source.MovingStatistics().Record(out IDisposable subscription);
        Send(1, 0);
        subscription.Dispose();
        Send(2, 1);
        Assert.Single(recorder.Values);
        Assert.False(_source.HasObservers);
    }

    [Fact]
    public void ExtremePrices_StayExact()
    {
        // Deviations near 2^63 take the BigInteger path; the result must still be exact.
        var recorder = Subscribe();
        Send(0.00000001, 0);
        Send(92233720368.0, 1);
        Send(0.00000001, 2);
        double mean = (0.00000001 + 92233720368.0 + 0.00000001) / 3;
        Assert.Equal(mean, At(recorder, 2, 0).Mean, 1e-9 * mean);
        double std = Math.Sqrt(((2 * Math.Pow(0.00000001 - mean, 2)) + Math.Pow(92233720368.0 - mean, 2)) / 2);
        Assert.Equal(std, At(recorder, 2, 0).Std, 1e-9 * std);
    }

    [Fact]
    public void MeanFarBelowTheAnchor_StaysExact()
    {
        // The anchor is the first price; a later window of tiny prices must not cancel against it.
        var recorder = _source.MovingStatistics(new MovingStatisticsOptions { Windows = WindowSet.Parse("1s,1m") }).Record();
        Send(92233720368.0, 0);
        Send(0.00000003, 1);
        Send(0.00000001, 2);
        MovingStatistics last = recorder.Values[^1].Record;
        Assert.Equal(0.00000001, last.Mean(0));
        Assert.Equal(0.0, last.StandardDeviation(0));
        double mean = (92233720368.0 + 0.00000004) / 3;
        Assert.Equal(mean, last.Mean(1), mean * 1e-12);
    }

    [Fact]
    public void StateGrowsWithTheLongestWindowOnly()
    {
        var calculator = new MovingStatisticsCalculator(WindowSet.Standard);
        for (int i = 0; i < 100_000; i++)
        {
            calculator.Add(T.Tick("BTCUSDT", 97_000 + (i % 7), i * 0.1));
        }

        // An hour of 100 ms ticks is 36,000 records: the ring grows by halves from 8 to the first size
        // that holds them (39,226 slots) and no further, however long the stream runs.
        int capacity = 8;
        while (capacity < 36_000)
        {
            capacity += capacity / 2;
        }

        Assert.Equal(39_226, capacity);
        Assert.Equal((capacity * 16L) + (6 * 48), calculator.StateBytes("BTCUSDT"));
    }
}
