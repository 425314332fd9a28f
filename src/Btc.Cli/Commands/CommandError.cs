using System.CommandLine;

namespace Btc.Cli.Commands;

/// <summary>
/// How a command says it cannot go on: one sentence on standard error, <c>btc &lt;command&gt;: …</c>,
/// and the exit code for its kind (README, "Exit codes").
/// </summary>
internal static class CommandError
{
    /// <summary>Arguments the command cannot use: writes <paramref name="sentence"/> and gives <see cref="BtcCommand.UsageError"/>.</summary>
    public static int Usage(ParseResult parseResult, string sentence) => Report(parseResult, sentence, BtcCommand.UsageError);

    /// <summary>A failure while running (an output that cannot be written): writes <paramref name="sentence"/> and gives 1.</summary>
    public static int Failure(ParseResult parseResult, string sentence) => Report(parseResult, sentence, 1);

    private static int Report(ParseResult parseResult, string sentence, int exitCode)
    {
        parseResult.InvocationConfiguration.Error.WriteLine($"btc {parseResult.CommandResult.Command.Name}: {sentence}");
        return exitCode;
    }
}
