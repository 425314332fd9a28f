using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Btc.Cli.Output;
using Btc.Rx;
using Btc.Rx.LookAhead;
using Btc.Rx.Records;
using Btc.Rx.Watermarks;
using Btc.Rx.Windows;

namespace Btc.Cli.Pipeline;

/// <summary>
/// <c>btc pipeline</c>: acceptance → moving statistics → z-scores, and the look-ahead scan, over a
/// file of <c>btc-price</c> lines in arrival order, composed from the public Btc.Rx operators.
/// </summary>
internal static class PipelineService
{
    public static PipelineSummary Run(PipelineOptions options, Stream input)
    {
        var stopwatch = Stopwatch.StartNew();
        long linesRead, accepted;
        IReadOnlyList<(string, long)> counts;
        RejectedRecordWriter rejected;
        using (var outputs = new PipelineOutputs(options.OutputDirectory, "pipeline"))
        {
            rejected = outputs.Rejected;
            (linesRead, accepted) = Process(options, input, outputs);
            outputs.Dispose();
            counts = outputs.Counts();
        }

        return new PipelineSummary(linesRead, accepted, rejected.Late, rejected.Duplicate, rejected.Invalid, counts, stopwatch.Elapsed);
    }

    private static (long LinesRead, long Accepted) Process(PipelineOptions options, Stream input, PipelineOutputs outputs)
    {
        RejectedRecordWriter rejected = outputs.Rejected;

        // Late and duplicate records are decided while their line is being delivered (the operators
        // call back synchronously), so the side outputs can write the original line.
        ReadOnlyMemory<byte> currentLine = default;
        var acceptance = new AcceptanceOptions<PriceTick>
        {
            AllowedLateness = options.AllowedLateness,
            OnLate = late => rejected.WriteLate(currentLine.Span, late.Timestamp, late.Watermark, options.AllowedLateness),
            OnDuplicate = duplicate => rejected.WriteDuplicate(currentLine.Span, duplicate.Record.Symbol, duplicate.Record.Timestamp),
        };

        Exception? failure = null;
        long accepted = 0;
        using var ticks = new Subject<PriceTick>();
        IConnectableObservable<StreamElement<PriceTick>> acceptedTicks = ticks
            .AcceptPrices(acceptance, ImmediateScheduler.Instance)
            .Publish();
        IConnectableObservable<StreamElement<MovingStatistics>> moving = acceptedTicks
            .MovingStatistics(new MovingStatisticsOptions { Windows = options.Windows })
            .Publish();

        // Every accepted tick gets exactly one moving record, so counting those counts the accepted.
        using IDisposable movingSubscription = moving.Subscribe(
            e =>
            {
                if (e.IsRecord)
                {
                    accepted++;
                    outputs.Moving.Add(e.Record);
                }
            },
            e => failure ??= e);
        using IDisposable zscoreSubscription = acceptedTicks.ZScores(moving).Subscribe(outputs.ZScores.Add, e => failure ??= e);
        using IDisposable lookAheadSubscription = acceptedTicks
            .LookAhead(new LookAheadOptions { Horizon = options.Horizon })
            .Subscribe(outputs.AddLookAhead, e => failure ??= e);
        using IDisposable movingConnection = moving.Connect();
        using IDisposable acceptedConnection = acceptedTicks.Connect();

        // Reading and parsing run on their own thread (PriceRecordParser, as ParsePrices uses);
        // invalid lines are written here, so the rejected file keeps the input's order.
        long linesRead = 0;
        using var parsed = new ParsedLines(input);
        foreach (ParsedLines.Batch batch in parsed.Batches())
        {
            for (int i = 0; i < batch.Count; i++)
            {
                linesRead++;
                currentLine = batch.Line(i);
                if (batch.Reason(i) is { } reason)
                {
                    rejected.WriteInvalid(currentLine.Span, reason);
                }
                else
                {
                    ticks.OnNext(batch.Tick(i));
                }
            }
        }

        ticks.OnCompleted();
        return failure is null ? (linesRead, accepted) : throw new InvalidOperationException("The pipeline failed: " + failure.Message, failure);
    }
}
