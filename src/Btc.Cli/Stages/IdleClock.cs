namespace Btc.Cli.Stages;

/// <summary>
/// The time a stage's idle timeouts see. It runs with the wall clock while records arrive or the
/// broker confirms the input is read to its end, and stands still otherwise: a broker that is down
/// makes the input look quiet, but its records are only delayed, so they must not turn late.
/// </summary>
/// <remarks>
/// Only an input that stayed quiet for a whole check interval is asked about: the question is a
/// round trip per partition, which a busy stage would otherwise pay every interval between records.
/// The stage's loop calls <see cref="Advance"/> once per poll; a longer stretch between two calls means
/// the loop was held up elsewhere, most often in a commit waiting for a broker that is down to
/// acknowledge the outputs. The input was not watched then, so at most one check interval of such a
/// stretch counts: counted whole, an outage would turn into idle time the moment the broker returned.
/// The time the question to the broker takes is not such a stretch, and counts when it is answered.
/// </remarks>
internal sealed class IdleClock
{
    /// <summary>How long the input must be quiet before the broker is asked; also the most a stretch between two calls counts.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly Func<bool> _confirmedAtEnd;
    private readonly Func<TimeSpan> _elapsed;
    private TimeSpan _lastReal;
    private TimeSpan _lastCheck;
    private bool _running = true;
    private bool _arrivedSinceCheck = true;

    /// <param name="confirmedAtEnd">Whether the broker confirms every input partition is read to its end (false when it cannot say).</param>
    /// <param name="elapsed">The wall clock, as time since the stage started.</param>
    public IdleClock(Func<bool> confirmedAtEnd, Func<TimeSpan> elapsed)
    {
        _confirmedAtEnd = confirmedAtEnd;
        _elapsed = elapsed;
        _lastReal = _lastCheck = elapsed();
    }

    public TimeSpan Now { get; private set; }

    public void RecordArrived() => _running = _arrivedSinceCheck = true;

    /// <summary>Moves the clock on by the wall time since the last call, if that time counts; returns <see cref="Now"/>.</summary>
    public TimeSpan Advance()
    {
        TimeSpan real = _elapsed();
        TimeSpan step = real - _lastReal;
        if (step > CheckInterval)
        {
            step = CheckInterval; // held up elsewhere, not watching the input
        }

        if (real - _lastCheck >= CheckInterval)
        {
            _running = _arrivedSinceCheck || _confirmedAtEnd();
            _arrivedSinceCheck = false;
            _lastCheck = _elapsed();
            // The question itself was spent watching: a round trip per partition, long with many
            // partitions on a distant cluster, counts whole when the answer was "read to the end".
            step += _lastCheck - real;
            real = _lastCheck;
        }

        if (_running)
        {
            Now += step;
        }

        _lastReal = real;
        return Now;
    }
}
