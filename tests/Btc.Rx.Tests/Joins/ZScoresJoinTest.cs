using System.Reactive.Subjects;
using Btc.Rx.Joins;
using Btc.Rx.Records;
using Btc.Rx.Tests.Support;

namespace Btc.Rx.Tests.Joins;

public class ZScoresJoinTest
{
    private static readonly WindowSet Windows = WindowSet.Parse("30s,1m");
    private readonly Subject<StreamElement<PriceTick>> _prices = new();
    private readonly Subject<StreamElement<MovingStatistics>> _moving = new();
    private readonly List<PriceTick> _unmatchedPrices = [];
    private readonly List<MovingStatistics> _unmatchedMoving = [];

    private Recorder<ZScores> Subscribe() =>
        _prices.ZScores(_moving, new EventTimeJoinOptions<PriceTick, MovingStatistics>
        {
            OnUnmatchedLeft = _unmatchedPrices.Add,
            OnUnmatchedRight = _unmatchedMoving.Add,
        }).Record();

    private static MovingStatistics Moving(double seconds, double mean, double std, string symbol = "BTCUSDT") =>
        new(symbol, T.At(seconds), Windows, [mean, mean], [std, 0]);

    private void Price(double price, double seconds, string symbol = "BTCUSDT") => _prices.OnNext(StreamElement<PriceTick>.FromRecord(T.Tick(symbol, price, seconds)));

    private void MovingRecord(double seconds, double mean, double std, string symbol = "BTCUSDT") => _moving.OnNext(StreamElement<MovingStatistics>.FromRecord(Moving(seconds, mean, std, symbol)));

    [Fact]
    public void ArgumentChecking()
    {
        Assert.Throws<ArgumentNullException>(() => ((IObservable<StreamElement<PriceTick>>)null!).ZScores(_moving));
        Assert.Throws<ArgumentNullException>(() => _prices.ZScores(null!));
        Assert.Throws<ArgumentNullException>(() => _prices.JoinInEventTime<PriceTick, MovingStatistics, int>(_moving, null!, m => (m.Symbol, m.Timestamp), (_, _) => 0));
        Assert.Throws<ArgumentException>(() => ZScores.Of(T.Tick(1, 0), Moving(1, 1, 1)));
    }

    [Fact]
    public void ZScoresOf_ManyWindows_EachItsOwn()
    {
        // Up to six windows live inside the record; eight take an array.
        var windows = WindowSet.Parse("1s,2s,3s,4s,5s,6s,7s,8s");
        double[] means = [.. Enumerable.Range(1, 8).Select(w => 100.0 - w)];
        double[] stds = [.. Enumerable.Range(1, 8).Select(w => w == 3 ? 0.0 : w)];
        var z = ZScores.Of(T.Tick(100, 5), new MovingStatistics("BTCUSDT", T.At(5), windows, means, stds));
        Assert.Equal([1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0], Enumerable.Range(0, 8).Select(z.Value));
        Assert.Throws<ArgumentOutOfRangeException>(() => z.Value(8));
    }

    [Fact]
    public void ZScores_KeepTheirOwnCopyOfTheValues()
    {
        double[] values = [0.5, -1.25];
        var z = new ZScores("BTCUSDT", T.At(1), Windows, values);
        values[0] = 99;
        Assert.Equal(0.5, z.Value(0));
    }

    [Fact]
    public void RepeatedKey_FirstWaitsAndPairs_RepeatIsUnmatched()
    {
        var recorder = Subscribe();
        Price(110, 1);
        Price(120, 1);          // repeat while the first waits (the last one added)
        Price(130, 2);
        Price(140, 1.5);        // out of time order is not expected, but must not lose records
        MovingRecord(1, 100, 5);
        MovingRecord(2, 100, 5);
        MovingRecord(2, 100, 5); // repeat after its partner was taken: waits, then unmatched at the end
        _prices.OnCompleted();
        _moving.OnCompleted();
        Assert.Equal([(T.At(1), 2.0), (T.At(2), 6.0)], recorder.Values.Select(z => (z.Timestamp, z.Value(0))));
        Assert.Equal([120.0, 140.0], _unmatchedPrices.Select(p => p.Price).Order());
        Assert.Single(_unmatchedMoving);
    }

    [Fact]
    public void RandomInterleavings_PairEveryKeyOnBothSides_AndReportTheRest()
    {
        // Each input in event-time order, the two interleaved at random, no watermarks until the end:
        // every key on both sides pairs, whichever came first, and each one-sided key is unmatched.
        var random = new Random(2026);
        for (int run = 0; run < 200; run++)
        {
            _unmatchedPrices.Clear();
            _unmatchedMoving.Clear();
            var prices = new Subject<StreamElement<PriceTick>>();
            var moving = new Subject<StreamElement<MovingStatistics>>();
            var zscores = new List<ZScores>();
            using IDisposable subscription = prices.ZScores(moving, new EventTimeJoinOptions<PriceTick, MovingStatistics>
            {
                OnUnmatchedLeft = _unmatchedPrices.Add,
                OnUnmatchedRight = _unmatchedMoving.Add,
            }).Subscribe(zscores.Add);
            var left = new Queue<PriceTick>();
            var right = new Queue<MovingStatistics>();
            var both = new HashSet<(string, long)>();
            int leftOnly = 0, rightOnly = 0;
            for (int tick = 0; tick < 60; tick++)
            {
                foreach (string symbol in new[] { "A", "B", "C" })
                {
                    bool onLeft = random.Next(10) > 0, onRight = random.Next(10) > 0;
                    if (onLeft)
                    {
                        left.Enqueue(T.Tick(symbol, 100 + tick, tick * 0.1));
                    }

                    if (onRight)
                    {
                        right.Enqueue(Moving(tick * 0.1, 100, 1, symbol));
                    }

                    if (onLeft && onRight)
                    {
                        both.Add((symbol, T.At(tick * 0.1)));
                    }

                    leftOnly += onLeft && !onRight ? 1 : 0;
                    rightOnly += onRight && !onLeft ? 1 : 0;
                }
            }

            while (left.Count + right.Count > 0)
            {
                if (right.Count == 0 || (left.Count > 0 && random.Next(2) == 0))
                {
                    prices.OnNext(StreamElement<PriceTick>.FromRecord(left.Dequeue()));
                }
                else
                {
                    moving.OnNext(StreamElement<MovingStatistics>.FromRecord(right.Dequeue()));
                }
            }

            prices.OnCompleted();
            moving.OnCompleted();
            Assert.Equal(both.Order(), zscores.Select(z => (z.Symbol, z.Timestamp)).Order());
            Assert.Equal(leftOnly, _unmatchedPrices.Count);
            Assert.Equal(rightOnly, _unmatchedMoving.Count);
        }
    }

    [Fact]
    public void PairsByEventTime_WhicheverArrivesFirst()
    {
        var recorder = Subscribe();
        Price(110, 1);
        MovingRecord(2, 100, 5);
        MovingRecord(1, 100, 5);
        Price(90, 2);
        Assert.Equal([(T.At(1), 2.0), (T.At(2), -2.0)], recorder.Values.Select(z => (z.Timestamp, z.Value(0))));
    }

    [Fact]
    public void ZeroStd_GivesExactlyZero()
    {
        var recorder = Subscribe();
        Price(110, 1);
        MovingRecord(1, 100, 5);
        Assert.Equal(0.0, recorder.Values[0].Value(1));
    }

    [Fact]
    public void SkewedStreams_NotPairedByArrival()
    {
        // CombineLatest would pair the price at 3 with the moving record at 1; the join must not.
        var recorder = Subscribe();
        MovingRecord(1, 100, 1);
        Price(105, 3);
        Price(101, 1);
        MovingRecord(3, 104, 1);
        Assert.Equal([(T.At(1), 1.0), (T.At(3), 1.0)], recorder.Values.Select(z => (z.Timestamp, z.Value(0))));
    }

    [Fact]
    public void PriceWaits_UntilTheMovingWatermarkPassesIt()
    {
        var recorder = Subscribe();
        Price(110, 5);
        _moving.OnNext(StreamElement<MovingStatistics>.FromWatermark(T.At(5)));
        Assert.Empty(_unmatchedPrices);
        _moving.OnNext(StreamElement<MovingStatistics>.FromWatermark(T.At(5.001)));
        Assert.Single(_unmatchedPrices);
        MovingRecord(5, 100, 5);
        Assert.Empty(recorder.Values);
        Assert.Empty(_unmatchedMoving);
        _prices.OnNext(StreamElement<PriceTick>.FromWatermark(T.At(5.001)));
        Assert.Single(_unmatchedMoving);
    }

    [Fact]
    public void Symbols_AreJoinedSeparately()
    {
        var recorder = Subscribe();
        Price(110, 1, "A");
        MovingRecord(1, 100, 5, "B");
        Assert.Empty(recorder.Values);
        MovingRecord(1, 100, 10, "A");
        Assert.Equal(("A", 1.0), (recorder.Values[0].Symbol, recorder.Values[0].Value(0)));
    }

    [Fact]
    public void Completion_WhenBothEnd_AndUnmatchedAreReported()
    {
        var recorder = Subscribe();
        Price(110, 1);
        _moving.OnCompleted();
        Assert.Single(_unmatchedPrices);
        Assert.False(recorder.Completed);
        Price(120, 2);
        Assert.Equal(2, _unmatchedPrices.Count);
        _prices.OnCompleted();
        Assert.True(recorder.Completed);
    }

    [Fact]
    public void ErrorOnEitherInput_FailsAndUnsubscribesBoth()
    {
        var recorder = Subscribe();
        var error = new InvalidOperationException();
        _moving.OnError(error);
        Assert.Same(error, recorder.Error);
        Assert.False(_prices.HasObservers);
        Assert.False(_moving.HasObservers);
    }

    [Fact]
    public void DisposalMidStream_UnsubscribesBoth()
    {
        var recorder = _prices.ZScores(_moving).Record(out IDisposable subscription);
        Price(110, 1);
        subscription.Dispose();
        MovingRecord(1, 100, 5);
        Assert.Empty(recorder.Values);
        Assert.False(_prices.HasObservers || _moving.HasObservers);
    }

    [Fact]
    public void InputsWithoutWatermarks_StillPairEverything()
    {
        // Matched keys are compacted away when no watermark ever expires them.
        var recorder = Subscribe();
        for (int i = 0; i < 20_000; i++)
        {
            MovingRecord(i, 100, 1);
            Price(101, i);
        }

        Assert.Equal(20_000, recorder.Values.Count);
        Assert.All(recorder.Values, z => Assert.Equal(1.0, z.Value(0)));
        Assert.Empty(_unmatchedPrices);
        Assert.Empty(_unmatchedMoving);
    }

    [Fact]
    public void ResultSelectorThatThrows_FailsTheStream()
    {
        var recorder = _prices.JoinInEventTime<PriceTick, MovingStatistics, int>(_moving, p => (p.Symbol, p.Timestamp), m => (m.Symbol, m.Timestamp), (_, _) => throw new FormatException()).Record();
        Price(110, 1);
        MovingRecord(1, 100, 5);
        Assert.IsType<FormatException>(recorder.Error);
    }
}
