using System.Diagnostics;
using System.Text;
using Btc.Cli.Kafka;
using Btc.Cli.Output;
using Btc.Cli.Sources;
using Btc.Cli.Logging;
using Btc.Rx.Records;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Extract;

/// <summary>
/// <c>btc extract</c>: Binance (REST polling or WebSocket trades), a replay of a btc-price file, or a
/// synthetic random walk. Valid records go to <c>btc-price</c> keyed by symbol; invalid replay lines and
/// Binance answers go to <c>btc-price-rejected</c> with their reason.
/// </summary>
internal static class ExtractService
{
    /// <summary>How long the final flush waits before it says what it is waiting for (then every three times as long).</summary>
    internal static TimeSpan FlushReminderDelay { get; } = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(ExtractOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using ILoggerFactory logging = CommandLogging.Create(error);
        ILogger logger = logging.CreateLogger("extract");
        logger.LogInformation("source {Source}, publishing to {Topic} on {Kafka}", options.Source, options.Topic, options.Kafka.Describe());
        using var producer = new KafkaPublisher(options.Kafka, logger);
        TopicWriter<PriceTick> prices = TopicWriters.Prices(producer, options.Topic);
        var rejected = new RejectedRecordWriter(new TopicRecordSink(producer, Topics.Rejected), "extract");
        IPriceSource? source = null;
        bool inputFailed = false;
        try
        {
            if (options.Source == "replay")
            {
                await ReplayAsync(options, prices, rejected, logger, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Live sources report invalid answers from their own threads; the writer has one buffer.
                var gate = new Lock();
                source = await PriceSources.CreateAsync(options.Live with { Kind = options.Source }, options.Duration, logger, (value, reason) =>
                {
                    lock (gate)
                    {
                        rejected.WriteInvalid(Encoding.UTF8.GetBytes(value), reason);
                    }
                }, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("{Source}", source.Description);
                await PublishAsync(source, prices, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop reading, but still deliver what was handed to the producer.
        }
        catch (InputReadException e)
        {
            // The replay's file failed midway: what was read before is still delivered, and counted below.
            logger.LogError("{Reason}", e.Message);
            inputFailed = true;
        }

        // Flush even after Ctrl+C; a second Ctrl+C is not wired to this token, so delivery finishes.
        // Against a cluster that does not answer that takes the client's delivery timeout: say so
        // rather than wait in silence.
        using (new Timer(
            _ => logger.LogWarning("still waiting for Kafka to take the records published; the client gives up on them after message.timeout.ms (5 minutes unless --kafka-config sets it), and then they are counted as failed"),
            null,
            FlushReminderDelay,
            FlushReminderDelay * 3))
        {
            producer.Flush(CancellationToken.None);
        }
        if (source is not null)
        {
            logger.LogInformation("{Source}: {Counts}", options.Source, source.Describe());
        }

        output.WriteLine($"published {prices.Records:N0} records to {options.Topic}, {rejected.Invalid:N0} invalid to {Topics.Rejected}, {producer.Failed:N0} failed, in {stopwatch.Elapsed.TotalSeconds:F3} s");
        if (producer.Failed > 0)
        {
            logger.LogError("{Failed} records could not be delivered: {Error}", producer.Failed, producer.FirstError);
            return 1;
        }

        return inputFailed ? 1 : 0;
    }

    private static async Task ReplayAsync(ExtractOptions options, TopicWriter<PriceTick> prices, RejectedRecordWriter rejected, ILogger logger, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = InputFile.Open(options.Input!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputReadException($"Cannot read the input file '{options.Input}': {e.Message}", e);
        }

        using var input = stream;
        using var lines = new ParsedLines(stream);
        ReplayPace? pace = options.Pace > 0 ? new ReplayPace(options.Pace, TimeProvider.System, logger) : null;
        foreach (ParsedLines.Batch batch in lines.Batches(cancellationToken))
        {
            for (int i = 0; i < batch.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (batch.Reason(i) is { } reason)
                {
                    rejected.WriteInvalid(batch.Line(i).Span, reason);
                    continue;
                }

                PriceTick tick = batch.Tick(i);
                if (pace is not null)
                {
                    await pace.WaitForAsync(tick.Timestamp, cancellationToken).ConfigureAwait(false);
                }

                prices.Add(tick);
            }
        }
    }

    private static async Task PublishAsync(IPriceSource source, TopicWriter<PriceTick> prices, CancellationToken cancellationToken)
    {
        await foreach (PriceTick tick in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            prices.Add(tick);
        }
    }
}
