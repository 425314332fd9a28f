using System.CommandLine;
using System.Globalization;
using Btc.Cli.Extract;
using Btc.Cli.Kafka;

namespace Btc.Cli.Commands;

/// <summary><c>btc extract</c>: binds its options and runs <see cref="ExtractService"/>.</summary>
internal static class ExtractCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source")
        {
            Description = "Where prices come from: replay (a btc-price file) or synthetic (a seeded random walk).",
            DefaultValueFactory = _ => "synthetic",
        };
        source.AcceptOnlyFromAmong("replay", "synthetic");
        var input = new Option<string?>("--input", "-i") { Description = "replay: btc-price JSON Lines, published in file order with their own timestamps.", HelpName = "FILE" };
        var pace = new Option<string>("--pace")
        {
            Description = "replay: max (as fast as possible), realtime, or a speed-up such as 10x.",
            DefaultValueFactory = _ => "max",
        };
        var symbols = new Option<string>("--symbols")
        {
            Description = "synthetic: symbol names (BTCUSDT,ETHUSDT) or a count of generated ones (100).",
            DefaultValueFactory = _ => "BTCUSDT",
        };
        Option<TimeSpan> interval = CommonOptions.DurationOption("--interval", "synthetic: the polling grid: one record per symbol per grid point.", "100ms");
        var seed = new Option<int>("--seed") { Description = "synthetic: the random walk's seed.", DefaultValueFactory = _ => 1 };
        var duration = new Option<string?>("--duration") { Description = "synthetic: how long to run (default: until Ctrl+C).", HelpName = "DURATION" };
        var topic = new Option<string>("--topic") { Description = "The topic to publish to.", DefaultValueFactory = _ => Topics.Price };
        var kafka = new KafkaOptions();

        var command = new Command(
            "extract",
            """
            Publish btc-price records, keyed by symbol, with an idempotent producer (acks=all). Records
            that cannot be delivered are reported and make the exit code non-zero; Ctrl+C flushes first.
            The Binance sources (REST polling and WebSocket trades) are not in this release yet.

            Examples:
              ./btc extract --source replay --input samples/data/btc-price.jsonl --bootstrap-servers 127.0.0.1:PORT
              ./btc extract --source synthetic --symbols 100 --duration 1m --bootstrap-servers 127.0.0.1:PORT
            """)
        {
            source, input, pace, symbols, interval, seed, duration, topic,
        };
        kafka.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string chosen = parseResult.GetValue(source)!;
            string? file = parseResult.GetValue(input);
            if (chosen == "replay" && (file is null || !File.Exists(file)))
            {
                return Fail(error, file is null ? "--source replay needs --input FILE." : $"The input file '{file}' does not exist.");
            }

            if (!TryParsePace(parseResult.GetValue(pace)!, out double paceFactor))
            {
                return Fail(error, $"--pace takes max, realtime or a speed-up such as 10x, not '{parseResult.GetValue(pace)}'.");
            }

            TimeSpan? runFor = null;
            if (parseResult.GetValue(duration) is { } text)
            {
                if (!Btc.Rx.Time.Duration.TryParse(text, out TimeSpan parsed) || parsed <= TimeSpan.Zero)
                {
                    return Fail(error, $"--duration: '{text}' is not a positive duration such as 30s or 1m.");
                }

                runFor = parsed;
            }

            IReadOnlyList<string> names = ParseSymbols(parseResult.GetValue(symbols)!);
            if (names.Count == 0)
            {
                return Fail(error, "--symbols needs at least one symbol or a count above 0.");
            }

            if (parseResult.GetValue(interval) <= TimeSpan.Zero)
            {
                return Fail(error, "--interval must be longer than 0.");
            }

            var options = new ExtractOptions
            {
                Source = chosen,
                Input = file,
                Pace = paceFactor,
                Symbols = names,
                Interval = parseResult.GetValue(interval),
                Seed = parseResult.GetValue(seed),
                Duration = runFor,
                Topic = parseResult.GetValue(topic)!,
                Kafka = kafka.Bind(parseResult),
            };
            return await ExtractService.RunAsync(options, parseResult.InvocationConfiguration.Output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static IReadOnlyList<string> ParseSymbols(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0
            ? [.. Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"SYM{i:D4}USDT"))]
            : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static bool TryParsePace(string text, out double factor)
    {
        factor = text switch { "max" => 0, "realtime" => 1, _ => -1 };
        if (factor >= 0)
        {
            return true;
        }

        return text.EndsWith('x') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out factor) && factor > 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"btc extract: {message}");
        return 2;
    }
}
