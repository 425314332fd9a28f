using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Btc.Cli.Kafka;
using Btc.Cli.Logging;
using Btc.Cli.Mongo;
using Btc.Cli.Output;
using Btc.Cli.Pipeline;
using Btc.Cli.Sources;
using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Demo;

/// <summary>
/// <c>btc demo</c> in one process: a live source through the whole pipeline (the operators composed as
/// in <c>btc pipeline</c>), JSON Lines per topic, MongoDB when asked, and a live view. When the
/// duration ends or Ctrl+C comes, the source completes, so every accepted price gets all its results.
/// </summary>
internal static class DemoService
{
    private static readonly TimeSpan MongoInterval = TimeSpan.FromSeconds(1);

    // The files are read while the demo runs (tail -f, a notebook); without this they would be written
    // in 128 KiB blocks, a minute or more apart at a few symbols' pace. A failed write shows within it.
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(DemoOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using ILoggerFactory logging = CommandLogging.Create(error);
        ILogger logger = logging.CreateLogger("demo");
        var invalid = new ConcurrentQueue<(string Value, string Reason)>();
        IPriceSource source = await PriceSources.CreateAsync(options.Source, options.Duration, logger, (v, r) => invalid.Enqueue((v, r)), cancellationToken).ConfigureAwait(false);
        output.WriteLine($"source: {source.Description}");

        var statistics = new DemoStatistics();
        ZScoreMongoWriter? mongo = null;
        if (options.Mongo is { } mongoSettings)
        {
            mongo = new ZScoreMongoWriter(mongoSettings, logger);
            if (!mongo.Start(cancellationToken))
            {
                return 1;
            }
        }

        var outputs = new PipelineOutputs(options.OutputDirectory, "demo");
        var prices = new JsonLinesFile(Path.Combine(options.OutputDirectory, Topics.Price + ".jsonl"));
        var taps = new PipelineTaps
        {
            Moving = _ => statistics.MovingRecord(),
            ZScores = z =>
            {
                statistics.ZScore(z);
                mongo?.Add(z);
            },
            LookAhead = statistics.LookAhead,
            Watermark = statistics.Watermark,
        };

        using var viewStop = new CancellationTokenSource();
        Task view = DemoReport.ShowAsync(options, statistics, source.Description, output, viewStop.Token);
        bool complete = false;
        try
        {
            using var graph = new PipelineGraph(TimeSpan.FromSeconds(10), WindowSet.Standard, TimeSpan.FromSeconds(20), outputs, taps);
            var value = new ArrayBufferWriter<byte>(256);
            var sinceMongo = Stopwatch.StartNew();
            var sinceFlush = Stopwatch.StartNew();
            await foreach (PriceTick tick in source.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // btc-price.jsonl is the input as it arrived; the rejected records quote the same text.
                value.ResetWrittenCount();
                TopicJson.WritePrice(value, tick);
                prices.Writer.Write(value.WrittenSpan);
                prices.EndRecord();
                graph.CurrentValue = value.WrittenMemory;
                statistics.Price(tick);
                graph.OnNext(tick);
                WriteInvalid(invalid, outputs.Rejected);
                statistics.Rejected(outputs.Rejected.Late, outputs.Rejected.Duplicate, outputs.Rejected.Invalid);
                if (sinceFlush.Elapsed >= FlushInterval)
                {
                    prices.Flush();
                    outputs.Flush();
                    sinceFlush.Restart();
                }

                if (mongo is not null && (mongo.BatchFull || sinceMongo.Elapsed >= MongoInterval))
                {
                    mongo.Write(cancellationToken);
                    statistics.Loaded = mongo.Loaded;
                    sinceMongo.Restart();
                }
            }

            // The source ended (duration or Ctrl+C): everything pending is final now.
            graph.Complete();
            WriteInvalid(invalid, outputs.Rejected);
            statistics.Rejected(outputs.Rejected.Late, outputs.Rejected.Duplicate, outputs.Rejected.Invalid);
            if (mongo is not null)
            {
                using var last = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                complete = mongo.Write(last.Token);
                statistics.Loaded = mongo.Loaded;
                if (!complete)
                {
                    logger.LogError("{Pending} z-score records could not be written to MongoDB before stopping", mongo.Pending);
                }
            }
            else
            {
                complete = true;
            }
        }
        finally
        {
            await viewStop.CancelAsync().ConfigureAwait(false);
            await view.ConfigureAwait(false);
            try
            {
                outputs.Dispose();
            }
            finally
            {
                prices.Dispose();
            }
        }

        DemoReport.WriteResults(output, statistics, options.OutputDirectory, [(prices.Path, prices.Records), .. outputs.Counts()]);
        if (source.Gaps > 0)
        {
            output.WriteLine($"gaps: {source.Gaps:N0} grid points without a price");
        }

        if (mongo is not null)
        {
            output.WriteLine($"  MongoDB {options.Mongo!.Describe()}: {mongo.Loaded:N0} z-score records in {ZScoreDocuments.CollectionPrefix}<window>");
        }

        return complete ? 0 : 1;
    }

    private static void WriteInvalid(ConcurrentQueue<(string Value, string Reason)> invalid, RejectedRecordWriter rejected)
    {
        while (invalid.TryDequeue(out var item))
        {
            rejected.WriteInvalid(System.Text.Encoding.UTF8.GetBytes(item.Value), item.Reason);
        }
    }
}
