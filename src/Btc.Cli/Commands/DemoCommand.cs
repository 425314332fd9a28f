using System.CommandLine;
using Btc.Cli.Demo;
using Btc.Cli.Kafka;
using Btc.Cli.Logging;
using Btc.Cli.Mongo;
using Btc.Cli.Output;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Commands;

/// <summary><c>btc demo</c>: binds its options and runs <see cref="DemoService"/> or <see cref="DemoViaKafka"/>.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var sources = new SourceCommandOptions("auto", "auto", "binance", "binance-ws", "synthetic");
        sources.Symbols.DefaultValueFactory = _ => "BTCUSDT,ETHUSDT";
        Option<TimeSpan?> duration = CommonOptions.OptionalDurationOption("--duration", "How long the source runs (default: until Ctrl+C); then every result is completed.", "30s or 1m");
        var outputDirectory = new Option<string>("--output-dir", "-o") { HelpName = "DIR", Description = "Folder for btc-price.jsonl and the output topics' files.", DefaultValueFactory = _ => "out" };
        var mongoUri = new Option<string?>("--mongo-uri")
        {
            Description = $"Also load the z-scores into MongoDB (environment variable {MongoSettings.UriEnvironmentVariable}).",
            HelpName = "URI",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(MongoSettings.UriEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
        };
        var viaKafka = new Option<bool>("--via-kafka") { Description = "Run each stage as its own process over Kafka (a development broker unless --bootstrap-servers is given)." };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "--via-kafka: an existing Kafka cluster instead of a development broker.", HelpName = "HOST:PORT" };
        var plain = new Option<bool>("--plain") { Description = "Plain status lines instead of the live view, even in a terminal." };

        var command = new Command(
            "demo",
            """
            The whole pipeline — extract, moving, zscore, bonus and, with --mongo-uri, load — in one
            command with nothing to install, and a live view of prices, z-scores, look-ahead windows
            and per-stage counts. --source auto uses Binance when it answers within 3 seconds and a
            synthetic random walk otherwise, and says which. Results go to --output-dir as JSON Lines
            named after their topics, written as the demo runs (tail -f shows each once final, 10 s
            after its price). When output is not a terminal it prints a status line every few seconds
            instead of the live view.

            Examples:
              ./btc demo --duration 1m
              ./btc demo --source synthetic --symbols 100 --duration 30s
              ./btc demo --via-kafka --duration 30s
            """)
        {
            duration, outputDirectory, mongoUri, viaKafka, bootstrap, plain,
        };
        sources.AddTo(command);
        command.SetCancellableAction(async (parseResult, cancellationToken) =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            TextWriter error = parseResult.InvocationConfiguration.Error;
            var options = new DemoOptions
            {
                Source = sources.Bind(parseResult),
                Duration = parseResult.GetValue(duration),
                OutputDirectory = parseResult.GetValue(outputDirectory)!,
                Mongo = parseResult.GetValue(mongoUri) is { Length: > 0 } uri ? new MongoSettings { Uri = uri } : null,
                ViaKafka = parseResult.GetValue(viaKafka),
                BootstrapServers = parseResult.GetValue(bootstrap),
                // The live view only where a person watches: a terminal, and the real console.
                Live = !parseResult.GetValue(plain) && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected,
            };
            if ((options.Mongo is { } mongo ? MongoSettings.UriProblem(mongo.Uri) : null) is { } mongoProblem)
            {
                return CommandError.Usage(parseResult, mongoProblem);
            }

            if (OutputFolder.Prepare(options.OutputDirectory) is { } problem)
            {
                return CommandError.Usage(parseResult, problem);
            }

            if (!options.ViaKafka)
            {
                return await DemoService.RunAsync(options, output, error, cancellationToken).ConfigureAwait(false);
            }

            using ILoggerFactory logging = CommandLogging.Create(error);
            return await DemoViaKafka.RunAsync(options, output, logging.CreateLogger("demo"), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
