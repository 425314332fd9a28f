using System.CommandLine;

namespace Btc.Cli.Commands;

/// <summary>How every long-running command sets its action, so Ctrl+C and SIGTERM stop it cleanly.</summary>
internal static class CancellableAction
{
    /// <summary>
    /// Sets <paramref name="action"/> to run on the thread pool. System.CommandLine turns Ctrl+C and
    /// SIGTERM into a cancellation of the token only once an action has returned its task; until then
    /// they end the process. An action that works before its first wait (a replay at full speed, the
    /// pipeline over a file) would otherwise be killed with its outputs half written.
    /// </summary>
    /// <remarks>
    /// An input or output the machine refuses while the command runs (a full disk, an I/O error, a
    /// standard output that cannot be written) ends it with one sentence and exit code 1, and Kafka
    /// settings the client refuses or symbols Binance does not list (<see cref="UsageException"/>)
    /// with one sentence and exit code 2, instead of System.CommandLine's stack trace: they are for
    /// the user to fix, not bugs to report.
    /// </remarks>
    public static void SetCancellableAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction((parseResult, cancellationToken) => Task.Run(
            async () =>
            {
                try
                {
                    return await action(parseResult, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    return CommandError.Failure(parseResult, e.Message);
                }
                catch (UsageException e)
                {
                    // Settings the Kafka client refused, symbols Binance does not list: a usage error,
                    // as an option that does not parse is.
                    return CommandError.Usage(parseResult, e.Message);
                }
            },
            CancellationToken.None));
}
