using System.Globalization;
using Btc.Rx.Time;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Extract;

/// <summary>
/// Keeps a replay's records spaced as their timestamps are, sped up by the pace factor: each record
/// waits until as much time has passed since the first as lies between their timestamps, divided by
/// the pace. A record behind that clock (out of order) goes at once.
/// </summary>
/// <remarks>
/// A timestamp far ahead of the others is waited for as literally as the rest: the replay keeps the
/// spacing it was asked to keep, a gap of an hour included. A wait of ten seconds or more is said in
/// a log line, so a replay that stops at a record dated years ahead says why (Ctrl+C ends it).
/// </remarks>
internal sealed class ReplayPace(double pace, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(10);

    // Task.Delay takes at most about 49 days at a time: a longer wait is made in steps.
    private static readonly TimeSpan MaxStep = TimeSpan.FromDays(1);

    private long? _first;
    private long _startedAt;

    /// <summary>Returns when the record stamped <paramref name="timestamp"/> is due.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    public async Task WaitForAsync(long timestamp, CancellationToken cancellationToken)
    {
        if (_first is null)
        {
            _first = timestamp;
            _startedAt = time.GetTimestamp();
            return;
        }

        double waitMs = DueInMilliseconds(timestamp);
        if (waitMs >= LongWait.TotalMilliseconds)
        {
            logger.LogInformation("the record at {Timestamp} is due in {Wait} at this pace, as far past the records before it as its timestamp is; waiting for it (Ctrl+C stops)", EventTime.Format(timestamp), Describe(waitMs));
        }

        for (; waitMs >= 1; waitMs = DueInMilliseconds(timestamp))
        {
            await Task.Delay(waitMs >= MaxStep.TotalMilliseconds ? MaxStep : TimeSpan.FromMilliseconds(waitMs), time, cancellationToken).ConfigureAwait(false);
        }
    }

    // In doubles: the years between two timestamps at a pace of 0.001x are past what a TimeSpan holds.
    private double DueInMilliseconds(long timestamp) =>
        ((timestamp - _first!.Value) / pace) - time.GetElapsedTime(_startedAt).TotalMilliseconds;

    private static string Describe(double milliseconds)
    {
        double seconds = milliseconds / 1000;
        return seconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:N0} s")
            : seconds < 2 * 86_400 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:N1} h")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400:N0} days");
    }
}
