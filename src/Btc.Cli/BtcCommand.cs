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

    /// <summary>Parses and runs a command line, writing to the given writers (tests capture them).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });

    /// <summary>Parses and runs a command line; Ctrl+C cancels long-running commands cleanly.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        Create().Parse(args).InvokeAsync(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Ctrl+C lets a command finish what it holds: flush outputs, commit offsets, stop children.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        });
}
