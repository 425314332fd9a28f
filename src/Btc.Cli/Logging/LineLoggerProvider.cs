using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Logging;

/// <summary>
/// Writes each log event as one line, <c>HH:mm:ss.fff level category: message</c>, to the command's
/// error writer, so logs and results never mix and tests can read what was said. Messages are the
/// formatted templates; nothing secret is ever put into one (see KafkaSettings.Describe).
/// </summary>
internal sealed class LineLoggerProvider(TextWriter writer, LogLevel minimum) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly LogLevel _minimum = minimum;

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void Dispose() => writer.Flush();

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {Label(level)} {category}: {message}");
        if (exception is not null)
        {
            line += " (" + exception.GetType().Name + ": " + exception.Message.ReplaceLineEndings(" ") + ")";
        }

        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info ",
        LogLevel.Warning => "warn ",
        LogLevel.Error => "error",
        _ => "crit ",
    };

    private sealed class LineLogger(LineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, formatter(state, exception), exception);
            }
        }
    }

}
