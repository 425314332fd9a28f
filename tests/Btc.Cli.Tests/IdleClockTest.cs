using Btc.Cli.Stages;

namespace Btc.Cli.Tests;

/// <summary>
/// The clock a Kafka stage's idle timeouts read: it runs only while the input is watched and either
/// records arrive or the broker says the input is read to its end, so an outage never becomes idle time.
/// </summary>
public class IdleClockTest
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private TimeSpan _wall;
    private bool _atEnd = true;
    private int _questions;

    private IdleClock Clock() => new(() =>
    {
        _questions++;
        return _atEnd;
    }, () => _wall);

    // The stage's loop: one Advance per poll of 50 ms, a record arriving in each when asked to.
    private TimeSpan Polls(IdleClock clock, TimeSpan duration, bool records = false)
    {
        for (TimeSpan end = _wall + duration; _wall < end;)
        {
            _wall += Poll;
            clock.Advance();
            if (records)
            {
                clock.RecordArrived();
            }
        }

        return clock.Now;
    }

    [Fact]
    public void WhileRecordsArrive_ItRunsWithTheWallClock_AndTheBrokerIsNotAsked()
    {
        IdleClock clock = Clock();
        Assert.Equal(TimeSpan.FromSeconds(3), Polls(clock, TimeSpan.FromSeconds(3), records: true));
        Assert.Equal(0, _questions);
    }

    [Fact]
    public void AQuietInputTheBrokerConfirmsReadToItsEnd_RunsWithTheWallClock()
    {
        IdleClock clock = Clock();
        Assert.Equal(TimeSpan.FromSeconds(3), Polls(clock, TimeSpan.FromSeconds(3)));
        Assert.InRange(_questions, 11, 12); // once per 250 ms
    }

    [Fact]
    public void ASlowAnswerThatTheInputIsReadToItsEnd_CountsWhole()
    {
        // Sixteen partitions at 25 ms a round trip: the question takes 400 ms, longer than a check interval.
        var clock = new IdleClock(() =>
        {
            _wall += TimeSpan.FromMilliseconds(400);
            return true;
        }, () => _wall);
        TimeSpan start = _wall;
        TimeSpan now = Polls(clock, TimeSpan.FromSeconds(5));
        Assert.Equal(_wall - start, now);
    }

    [Fact]
    public void AQuietInputTheBrokerCannotConfirm_StandsStill_AndRunsAgainOnceConfirmed()
    {
        IdleClock clock = Clock();
        Polls(clock, TimeSpan.FromSeconds(1), records: true);
        _atEnd = false; // down, or records wait unread
        // Up to two check intervals pass before a check finds no record arrived since the one before.
        TimeSpan before = Polls(clock, 2 * IdleClock.CheckInterval);
        Assert.Equal(before, Polls(clock, TimeSpan.FromSeconds(10)));
        _atEnd = true;
        Assert.InRange(Polls(clock, TimeSpan.FromSeconds(2)) - before, TimeSpan.FromSeconds(1.75), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void TheLoopHeldUpRightAfterRecords_ByACommitWaitingForTheBroker_CountsOneCheckIntervalAtMost()
    {
        IdleClock clock = Clock();
        TimeSpan before = Polls(clock, TimeSpan.FromSeconds(1), records: true);

        // Twelve seconds in one step: the broker was down and the commit waited for it to come back.
        // Records arrived just before, so no question decides this step; the input was not watched.
        _wall += TimeSpan.FromSeconds(12);
        Assert.Equal(before + IdleClock.CheckInterval, clock.Advance());
    }

    [Fact]
    public void TheLoopHeldUpWhileQuiet_CountsOneCheckIntervalAtMost()
    {
        IdleClock clock = Clock();
        TimeSpan before = Polls(clock, TimeSpan.FromSeconds(1));
        _wall += TimeSpan.FromSeconds(12);
        Assert.Equal(before + IdleClock.CheckInterval, clock.Advance());
    }
}
