using Btc.Cli.Extract;
using Btc.Cli.Logging;
using Microsoft.Extensions.Logging;
using Btc.Rx.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Btc.Cli.Tests;

/// <summary>A paced replay in virtual time: records spaced as their timestamps, whatever those are.</summary>
public class ReplayPaceTest
{
    private static readonly long Start = T.Base;
    private readonly FakeTimeProvider _time = new();
    private readonly StringWriter _log = new();

    private ReplayPace Pace(double factor) => new(factor, _time, CommandLogging.Create(TextWriter.Synchronized(_log)).CreateLogger("extract"));

    [Fact]
    public async Task EachRecord_WaitsForItsTimestampsDistanceFromTheFirst_DividedByThePace()
    {
        ReplayPace pace = Pace(10);
        await pace.WaitForAsync(Start, CancellationToken.None);
        await AssertDueAfter(pace, Start + 1_000, TimeSpan.FromMilliseconds(100));

        // Behind the clock (out of order), or on it: at once.
        await pace.WaitForAsync(Start + 500, CancellationToken.None);
        await pace.WaitForAsync(Start + 1_000, CancellationToken.None);
        Assert.Empty(_log.ToString());
    }

    [Fact]
    public async Task ARecordYearsAhead_IsWaitedFor_SaysSo_AndCancellingEndsTheWait()
    {
        // Task.Delay takes at most 49 days: asked for 7,973 years at once, it threw out of the replay.
        ReplayPace pace = Pace(1);
        await pace.WaitForAsync(Start, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        Task far = pace.WaitForAsync(DateTimeOffset.Parse("9999-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), stop.Token);
        _time.Advance(TimeSpan.FromDays(400));
        Assert.False(far.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => far);
        Assert.Contains("the record at 9999-11-24T10:00:00.000Z is due in 2,912,", _log.ToString(), StringComparison.Ordinal);
        Assert.Contains(" days at this pace", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGapOfAMinute_IsKept_AndSaid()
    {
        ReplayPace pace = Pace(1);
        await pace.WaitForAsync(Start, CancellationToken.None);
        await AssertDueAfter(pace, Start + 60_000, TimeSpan.FromSeconds(60));
        Assert.Contains("the record at 2026-11-24T10:01:00.000Z is due in 60 s at this pace", _log.ToString(), StringComparison.Ordinal);
    }

    // The wait for the record stamped `timestamp` ends after `due` of virtual time, not a millisecond before.
    private async Task AssertDueAfter(ReplayPace pace, long timestamp, TimeSpan due)
    {
        Task wait = pace.WaitForAsync(timestamp, CancellationToken.None);
        _time.Advance(due - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await wait;
    }
}
