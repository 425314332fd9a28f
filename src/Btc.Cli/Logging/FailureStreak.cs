using Microsoft.Extensions.Logging;

namespace Btc.Cli.Logging;

/// <summary>
/// Logs a run of failures of something retried many times a second (a poll every 100 ms of a Binance
/// that cannot be reached) as its first failure, then at most one summary per <c>quiet</c> interval,
/// and one line when it works again; not one warning per attempt. Safe to call from several threads.
/// </summary>
internal sealed class FailureStreak(ILogger logger, string what, TimeSpan quiet, Func<DateTimeOffset> now)
{
    private readonly Lock _gate = new();
    private bool _failing;
    private long _unreported;
    private long _total;
    private DateTimeOffset _reported;

    public FailureStreak(ILogger logger, string what)
        : this(logger, what, TimeSpan.FromSeconds(10), () => DateTimeOffset.UtcNow)
    {
    }

    /// <summary>A failure, described by <paramref name="message"/> and its arguments (a log message template).</summary>
    public void Failed(string message, params object?[] args)
    {
        lock (_gate)
        {
            _total++;
            DateTimeOffset at = now();
            if (!_failing)
            {
                _failing = true;
                _reported = at;
                logger.LogWarning(message, args);
                return;
            }

            _unreported++;
            if (at - _reported >= quiet)
            {
                logger.LogWarning("{Count} more {What} failed in the last {Seconds:F0} s; the last: " + message, [_unreported, what, (at - _reported).TotalSeconds, .. args]);
                _unreported = 0;
                _reported = at;
            }
        }
    }

    /// <summary>A success: ends a run of failures, saying so once.</summary>
    public void Succeeded()
    {
        lock (_gate)
        {
            if (_failing)
            {
                logger.LogInformation("{What} work again after {Count} failed", what, _total);
                _failing = false;
                _unreported = 0;
                _total = 0;
            }
        }
    }
}
