using System.CommandLine;
using Btc.Cli.Commands;

namespace Btc.Cli;

/// <summary>The <c>btc</c> command line: one subcommand per stage.</summary>
internal static class BtcCommand
{
    public static RootCommand Create() => new(
        """
        btc: exact real-time analytics of cryptocurrency prices, the Kafka/Spark lab pipeline as
        Reactive Extensions operators. Moving statistics, z-scores and look-ahead windows in event time.
        """)
    {
        DemoCommand.Create(),
        PipelineCommand.Create(),
        BrokerCommand.Create(),
        ExtractCommand.Create(),
        StageCommands.Moving(),
        StageCommands.ZScore(),
        StageCommands.Bonus(),
        StageCommands.Load(),
    };

    /// <summary>Exit code of a command line that does not parse, as for the commands' own checks of their arguments.</summary>
    public const int UsageError = 2;

    /// <summary>Parses and runs a command line, writing to the given writers (tests capture them).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ParseResult parsed = Create().Parse(args);
        int exitCode = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        return WithUsageError(parsed, exitCode);
    }

    /// <summary>Parses and runs a command line; Ctrl+C cancels long-running commands cleanly.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ParseResult parsed = Create().Parse(args);
        int exitCode = await parsed.InvokeAsync(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Ctrl+C lets a command finish what it holds: flush outputs, commit offsets, stop children.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        }).ConfigureAwait(false);
        return WithUsageError(parsed, exitCode);
    }

    // System.CommandLine ends a command line that does not parse with 1, the code btc keeps for
    // failures while running (an output that cannot be written, records not delivered); a script
    // can tell the two apart only if usage errors have their own, as the commands' own checks do.
    private static int WithUsageError(ParseResult parsed, int exitCode) => parsed.Errors.Count > 0 ? UsageError : exitCode;
}
