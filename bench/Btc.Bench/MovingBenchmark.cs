using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Btc.Rx;
using Btc.Rx.Records;
using Btc.Rx.Windows;

namespace Btc.Bench;

/// <summary>The moving-statistics operator alone, on one core, beside a raw Rx pass-through of the same ticks.</summary>
internal static class MovingBenchmark
{
    public static void Run(ResultTable table, int ticks)
    {
        StreamElement<PriceTick>[] input = SampleData.Ticks(ticks, symbols: 1).Select(StreamElement<PriceTick>.FromRecord).ToArray();
        for (int warmup = 0; warmup < 2; warmup++)
        {
            Measure(input[..200_000], PassThrough);
            Measure(input[..200_000], Moving);
        }

        // Best of three: this shared machine's speed varies by up to half from one second to the next.
        table.AddRate("moving operator", "raw pass-through (Subject → Select), best of 3", ticks, BestOf3(input, PassThrough));
        table.AddRate("moving operator", "MovingStatistics, 6 windows, best of 3", ticks, BestOf3(input, Moving), "one core, one symbol, 10 Hz");
    }

    private static IObservable<object> PassThrough(IObservable<StreamElement<PriceTick>> source) => source.Select(e => (object)e.Record.Symbol);

    private static IObservable<object> Moving(IObservable<StreamElement<PriceTick>> source) => source.MovingStatistics().Select(e => (object)e.Record);

    private static TimeSpan BestOf3(StreamElement<PriceTick>[] input, Func<IObservable<StreamElement<PriceTick>>, IObservable<object>> build) =>
        Enumerable.Range(0, 3).Select(_ => Measure(input, build)).Min();

    private static TimeSpan Measure(StreamElement<PriceTick>[] input, Func<IObservable<StreamElement<PriceTick>>, IObservable<object>> build)
    {
        using var subject = new Subject<StreamElement<PriceTick>>();
        long count = 0;
        using IDisposable subscription = build(subject).Subscribe(_ => count++);
        var stopwatch = Stopwatch.StartNew();
        foreach (StreamElement<PriceTick> element in input)
        {
            subject.OnNext(element);
        }

        subject.OnCompleted();
        return count == input.Length ? stopwatch.Elapsed : throw new InvalidOperationException("records were lost");
    }
}
