using System.CommandLine;
using Btc.Cli.Output;
using Btc.Cli.Pipeline;

namespace Btc.Cli.Commands;

/// <summary><c>btc pipeline</c>: binds its options and runs <see cref="PipelineService"/>.</summary>
internal static class PipelineCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i")
        {
            Description = "btc-price JSON Lines in arrival order; - reads standard input (a live feed: results reach the files whenever it pauses).",
            HelpName = "FILE",
            Required = true,
        };
        var outputDirectory = new Option<string>("--output-dir", "-o")
        {
            Description = "Folder for btc-price-moving/-zscore/-higher/-lower/-rejected.jsonl; created when missing, files already there replaced.",
            HelpName = "DIR",
            DefaultValueFactory = _ => "out",
        };
        DurationOption allowedLateness = CommonOptions.AllowedLateness();
        DurationOption horizon = CommonOptions.Horizon();
        var windows = new WindowsOption();

        var command = new Command(
            "pipeline",
            """
            Run the whole pipeline over a file: acceptance (late and duplicate records), moving statistics,
            z-scores and the higher/lower look-ahead, each output as JSON Lines with exactly the topic values.

            Example:
              ./btc pipeline --input samples/data/btc-price.jsonl --output-dir out
            """)
        {
            input, outputDirectory, allowedLateness, horizon, windows,
        };

        command.SetCancellableAction((parseResult, cancellationToken) => Task.FromResult(Run(parseResult, cancellationToken)));
        int Run(ParseResult parseResult, CancellationToken cancellationToken)
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            var options = new PipelineOptions
            {
                Input = parseResult.GetRequiredValue(input),
                OutputDirectory = parseResult.GetValue(outputDirectory)!,
                AllowedLateness = allowedLateness.ValueIn(parseResult),
                Horizon = horizon.ValueIn(parseResult),
                Windows = windows.ValueIn(parseResult),
            };

            if (options.Input != "-" && InputFile.Problem(options.Input) is { } inputProblem)
            {
                return CommandError.Usage(parseResult, inputProblem);
            }

            if (OutputFolder.Prepare(options.OutputDirectory) is { } outputProblem)
            {
                return CommandError.Usage(parseResult, outputProblem);
            }

            Stream stream;
            try
            {
                stream = options.Input == "-" ? Console.OpenStandardInput() : InputFile.Open(options.Input);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return CommandError.Usage(parseResult, $"Cannot read the input file '{options.Input}': {e.Message}");
            }

            using (stream)
            {
                // An input or output failing midway ends in one sentence (SetCancellableAction).
                PipelineSummary summary = PipelineService.Run(options, stream, cancellationToken);
                summary.WriteTo(output);
                // 128 + SIGINT, as shells report a command that Ctrl+C stopped: the input was not all read.
                return summary.Interrupted ? 130 : 0;
            }
        }

        return command;
    }
}
