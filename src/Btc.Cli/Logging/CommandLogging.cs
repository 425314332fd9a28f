using Microsoft.Extensions.Logging;

namespace Btc.Cli.Logging;

/// <summary>The logger factory a long-running command uses: one line per event on its error writer.</summary>
internal static class CommandLogging
{
    public static ILoggerFactory Create(TextWriter error, bool verbose = false) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
            .AddProvider(new LineLoggerProvider(error, verbose ? LogLevel.Debug : LogLevel.Information)));
}
