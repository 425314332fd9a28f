using System.Diagnostics;
using Btc.Cli.Output;

namespace Btc.Cli.Pipeline;

/// <summary>
/// <c>btc pipeline</c>: acceptance → moving statistics → z-scores, and the look-ahead scan, over a
/// file of <c>btc-price</c> lines in arrival order, composed from the public Btc.Rx operators.
/// </summary>
internal static class PipelineService
{
    /// <summary>
    /// Runs the pipeline over <paramref name="input"/>. Cancelling <paramref name="cancellationToken"/>
    /// (Ctrl+C) stops it after the lines read so far, as if the input ended there: their results are
    /// all written, and the summary says it was interrupted.
    /// </summary>
    public static PipelineSummary Run(PipelineOptions options, Stream input, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        long linesRead, accepted;
        IReadOnlyList<(string, long)> counts;
        RejectedRecordWriter rejected;
        // Reading and parsing start first, on their own thread, so they overlap the start-up of
        // everything else (compiling the operators is most of it).
        using var parsed = new ParsedLines(input);
        using (var outputs = new PipelineOutputs(options.OutputDirectory, "pipeline"))
        {
            rejected = outputs.Rejected;
            (linesRead, accepted) = Process(options, parsed, outputs, cancellationToken);
            outputs.Dispose();
            counts = outputs.Counts();
        }

        return new PipelineSummary(linesRead, accepted, rejected.Late, rejected.Duplicate, rejected.Invalid, counts, stopwatch.Elapsed)
        {
            Interrupted = !parsed.ReadToEnd,
        };
    }

    private static (long LinesRead, long Accepted) Process(PipelineOptions options, ParsedLines parsed, PipelineOutputs outputs, CancellationToken cancellationToken)
    {
        using var graph = new PipelineGraph(options.AllowedLateness, options.Windows, options.Horizon, outputs);

        // Parsing uses PriceRecordParser, as ParsePrices does; invalid lines are written here, so the
        // rejected file keeps the input's order.
        // While a live feed (standard input) is quiet, what was computed goes to the files.
        long linesRead = 0;
        foreach (ParsedLines.Batch batch in parsed.Batches(cancellationToken, beforeWaiting: outputs.Flush))
        {
            for (int i = 0; i < batch.Count; i++)
            {
                linesRead++;
                graph.CurrentValue = batch.Line(i);
                if (batch.Reason(i) is { } reason)
                {
                    outputs.Rejected.WriteInvalid(graph.CurrentValue.Span, reason);
                }
                else
                {
                    graph.OnNext(batch.Tick(i));
                }
            }
        }

        graph.Complete();
        return (linesRead, graph.Accepted);
    }
}
