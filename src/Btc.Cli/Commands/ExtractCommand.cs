using System.CommandLine;
using System.Globalization;
using Btc.Cli.Extract;
using Btc.Cli.Kafka;
using Btc.Cli.Output;

namespace Btc.Cli.Commands;

/// <summary><c>btc extract</c>: binds its options and runs <see cref="ExtractService"/>.</summary>
internal static class ExtractCommand
{
    public static Command Create()
    {
        var sources = new SourceCommandOptions("binance", "binance", "binance-ws", "replay", "synthetic");
        var input = new Option<string?>("--input", "-i") { Description = "replay: btc-price JSON Lines, published in file order with their own timestamps.", HelpName = "FILE" };
        var pace = new Option<string>("--pace")
        {
            HelpName = "PACE",
            Description = "replay: max (as fast as possible), realtime, or a speed-up such as 10x.",
            DefaultValueFactory = _ => "max",
        };
        Option<TimeSpan?> duration = CommonOptions.OptionalDurationOption("--duration", "Live sources: how long to run (default: until Ctrl+C).", "30s or 1m");
        Option<string> topic = CommonOptions.TopicOption("--topic", "The topic to publish to.", Topics.Price);
        var kafka = new KafkaOptions();

        var command = new Command(
            "extract",
            """
            Publish btc-price records, keyed by symbol, with an idempotent producer (acks=all). Records
            that cannot be delivered are reported and make the exit code non-zero; Ctrl+C flushes first.
            Sources:
              binance     poll GET /api/v3/ticker/price on the grid (one request per tick for all symbols;
                          over 100 symbols, every symbol's price, keeping those asked for), stamp each
                          price with its receive time rounded down to the grid; respects Binance's
                          request weight, 429 and 418 with Retry-After; counts gaps
              binance-ws  the last trade of each symbol in each grid slot from the <symbol>@aggTrade streams
                          (200 streams a connection, as many connections as that takes)
              replay      a btc-price file in file order with its own timestamps; exits at its end
              synthetic   a seeded random walk per symbol, for demos and load tests without internet
            Invalid responses and lines go to btc-price-rejected with their reason.

            Examples:
              ./btc extract --symbols BTCUSDT,ETHUSDT --interval 100ms --bootstrap-servers 127.0.0.1:PORT
              ./btc extract --source replay --input samples/data/btc-price.jsonl --bootstrap-servers 127.0.0.1:PORT
              ./btc extract --source synthetic --symbols 100 --duration 1m --bootstrap-servers 127.0.0.1:PORT
            """)
        {
            input, pace, duration, topic,
        };
        sources.AddTo(command);
        kafka.AddTo(command);

        command.SetCancellableAction(async (parseResult, cancellationToken) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string chosen = parseResult.GetValue(sources.Source)!;
            string? file = parseResult.GetValue(input);
            if (chosen == "replay" && (file is null ? "--source replay needs --input FILE." : InputFile.Problem(file)) is { } problem)
            {
                return CommandError.Usage(parseResult, problem);
            }

            if (!TryParsePace(parseResult.GetValue(pace)!, out double paceFactor))
            {
                return CommandError.Usage(parseResult, $"--pace takes max, realtime or a speed-up such as 10x, not '{parseResult.GetValue(pace)}'.");
            }

            var options = new ExtractOptions
            {
                Source = chosen,
                Input = file,
                Pace = paceFactor,
                Live = sources.Bind(parseResult),
                Duration = parseResult.GetValue(duration),
                Topic = parseResult.GetValue(topic)!,
                Kafka = kafka.Bind(parseResult),
            };
            return await ExtractService.RunAsync(options, parseResult.InvocationConfiguration.Output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static bool TryParsePace(string text, out double factor)
    {
        factor = text switch { "max" => 0, "realtime" => 1, _ => -1 };
        if (factor >= 0)
        {
            return true;
        }

        return text.EndsWith('x') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out factor) && factor > 0;
    }
}
