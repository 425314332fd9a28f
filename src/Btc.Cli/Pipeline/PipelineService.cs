using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Btc.Cli.Output;
using Btc.Rx;
using Btc.Rx.LookAhead;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Btc.Rx.Watermarks;
using Btc.Rx.Windows;

namespace Btc.Cli.Pipeline;

/// <summary>
/// <c>btc pipeline</c>: acceptance → moving statistics → z-scores, and the look-ahead scan, over a
/// file of <c>btc-price</c> lines in arrival order, composed from the public Btc.Rx operators.
/// </summary>
internal static class PipelineService
{
    public const string MovingFile = "btc-price-moving.jsonl";
    public const string ZScoreFile = "btc-price-zscore.jsonl";
    public const string HigherFile = "btc-price-higher.jsonl";
    public const string LowerFile = "btc-price-lower.jsonl";
    public const string RejectedFile = "btc-price-rejected.jsonl";

    public static PipelineSummary Run(PipelineOptions options, Stream input)
    {
        var stopwatch = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputDirectory);
        using var moving = new JsonLinesFile(Path.Combine(options.OutputDirectory, MovingFile));
        using var zscores = new JsonLinesFile(Path.Combine(options.OutputDirectory, ZScoreFile));
        using var higher = new JsonLinesFile(Path.Combine(options.OutputDirectory, HigherFile));
        using var lower = new JsonLinesFile(Path.Combine(options.OutputDirectory, LowerFile));
        using var rejectedFile = new JsonLinesFile(Path.Combine(options.OutputDirectory, RejectedFile));
        var rejected = new RejectedRecordWriter(rejectedFile, "pipeline");

        // Late and duplicate records are decided while their line is being delivered (the operators
        // call back synchronously), so the side outputs can write the original line.
        ReadOnlyMemory<byte> currentLine = default;
        long accepted = 0;
        var acceptance = new AcceptanceOptions<PriceTick>
        {
            AllowedLateness = options.AllowedLateness,
            OnLate = late => rejected.WriteLate(currentLine.Span, late.Timestamp, late.Watermark, options.AllowedLateness),
            OnDuplicate = duplicate => rejected.WriteDuplicate(currentLine.Span, duplicate.Record.Symbol, duplicate.Record.Timestamp),
        };

        Exception? failure = null;
        using var lines = new Subject<ReadOnlyMemory<byte>>();
        IConnectableObservable<StreamElement<PriceTick>> acceptedTicks = lines
            .ParsePrices(invalid => rejected.WriteInvalid(invalid.Value.Span, invalid.Reason))
            .AcceptPrices(acceptance, ImmediateScheduler.Instance)
            .Publish();
        IConnectableObservable<StreamElement<MovingStatistics>> movingStatistics = acceptedTicks
            .MovingStatistics(new MovingStatisticsOptions { Windows = options.Windows })
            .Publish();

        using IDisposable countSubscription = acceptedTicks.Subscribe(e => accepted += e.IsRecord ? 1 : 0, e => failure ??= e);
        using IDisposable movingSubscription = movingStatistics.Subscribe(
            e =>
            {
                if (e.IsRecord)
                {
                    TopicJson.WriteMoving(moving.Writer, e.Record);
                    moving.EndRecord();
                }
            },
            e => failure ??= e);
        using IDisposable zscoreSubscription = acceptedTicks.ZScores(movingStatistics).Subscribe(
            z =>
            {
                TopicJson.WriteZScores(zscores.Writer, z);
                zscores.EndRecord();
            },
            e => failure ??= e);
        using IDisposable lookAheadSubscription = acceptedTicks.LookAhead(new LookAheadOptions { Horizon = options.Horizon }).Subscribe(
            r =>
            {
                JsonLinesFile file = r.Direction == LookAheadDirection.Higher ? higher : lower;
                TopicJson.WriteLookAhead(file.Writer, r);
                file.EndRecord();
            },
            e => failure ??= e);
        using IDisposable movingConnection = movingStatistics.Connect();
        using IDisposable acceptedConnection = acceptedTicks.Connect();

        var reader = new LineReader(input);
        long linesRead = 0;
        while (reader.TryReadLine(out ReadOnlyMemory<byte> line))
        {
            if (line.Span.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            linesRead++;
            currentLine = line;
            lines.OnNext(line);
        }

        lines.OnCompleted();
        if (failure is not null)
        {
            throw new InvalidOperationException("The pipeline failed: " + failure.Message, failure);
        }

        foreach (JsonLinesFile file in new[] { moving, zscores, higher, lower, rejectedFile })
        {
            file.Flush();
        }

        return new PipelineSummary(
            linesRead,
            accepted,
            rejected.Late,
            rejected.Duplicate,
            rejected.Invalid,
            [(moving.Path, moving.Records), (zscores.Path, zscores.Records), (higher.Path, higher.Records), (lower.Path, lower.Records), (rejectedFile.Path, rejectedFile.Records)],
            stopwatch.Elapsed);
    }
}
