using System.Reactive.Concurrency;
using Btc.Cli.Kafka;
using Btc.Rx.Time;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Stages;

/// <summary>
/// Runs a stage's idle timeouts (<c>--idle-timeout</c>) and makes them part of the state a restart
/// rebuilds. The stage's scheduler follows the <see cref="IdleClock"/>, except while the input is
/// replayed, which is not idle time. Each time the clock moves the stage's watermark on, where the
/// input was and the new watermark are published to btc-idle-advances, keyed by the consumer group, and acknowledged
/// before any output the advance released is sent: those outputs, and every later one, depend on it.
/// A restarted stage reads that topic first and makes each advance again at its place in the replay
/// (<see cref="IdleAdvanceLog"/>), its outputs suppressed when a commit covered them, so its state,
/// and what it produces next, is what an uninterrupted run has.
/// </summary>
internal sealed class IdleAdvancer
{
    private readonly IStage _stage;
    private readonly StageInput _input;
    private readonly KafkaPublisher _publisher;
    private readonly HistoricalScheduler _scheduler;
    private readonly DateTimeOffset _started;
    private readonly TimeSpan _timeout;
    private readonly IdleClock _clock;
    private readonly IdleAdvanceLog _log;
    private readonly string _key;
    private readonly ILogger _logger;
    private TimeSpan _lastClock;
    private TimeSpan _time;

    private IdleAdvancer(StageSettings settings, IStage stage, StageInput input, KafkaPublisher publisher, HistoricalScheduler scheduler, DateTimeOffset started, Func<TimeSpan> elapsed, IdleAdvanceLog log, ILogger logger)
    {
        _stage = stage;
        _input = input;
        _publisher = publisher;
        _scheduler = scheduler;
        _started = started;
        _timeout = settings.IdleTimeout!.Value;
        _clock = new IdleClock(() => !input.Replaying && input.ConfirmedAtEnd(), elapsed);
        _lastClock = _clock.Now;
        _log = log;
        _key = settings.GroupId;
        _logger = logger;
    }

    /// <summary>The topic a stage keeps its idle advances in, when it rebuilds state and has an idle timeout.</summary>
    public static IEnumerable<string> TopicsOf(StageSettings settings, IStage stage) =>
        stage.RebuildsState && settings.IdleTimeout is not null ? [Topics.IdleAdvances] : [];

    /// <summary>
    /// For a stage that rebuilds state, reads the advances its earlier runs made (retrying while the
    /// broker does not answer); null when the stage has no idle timeout, or the wait was cancelled.
    /// </summary>
    public static IdleAdvancer? Start(StageSettings settings, IStage stage, StageInput input, KafkaPublisher publisher, HistoricalScheduler scheduler, DateTimeOffset started, Func<TimeSpan> elapsed, ILogger logger, CancellationToken cancellationToken)
    {
        if (!stage.RebuildsState)
        {
            return null;
        }

        string topic = Topics.IdleAdvances;
        List<IdleAdvance>? recorded = null;
        bool told = false;
        while (recorded is null && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                recorded = IdleAdvanceLog.Read(settings.Kafka, settings.GroupId, logger);
            }
            catch (KafkaException e)
            {
                if (!told)
                {
                    logger.LogWarning("reading {Topic} failed ({Reason}); retrying", topic, e.Error.Reason);
                    told = true;
                }

                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
            }
        }

        if (recorded is null)
        {
            return null;
        }

        if (input.StartedOver.Count > 0 && recorded.Count > 0)
        {
            // Their positions are offsets of records that are gone: made again at the same offsets of
            // the new records, they would move the watermark where no input went quiet. Voided in the
            // topic too, so later restarts leave them out as well.
            logger.LogWarning("{Topic}: {Count} idle advance(s) of group {Group} were made over the input before it started over, and are not made again", topic, recorded.Count, settings.GroupId);
            recorded.Clear();
            PublishVoid(publisher, settings.GroupId, logger, cancellationToken);
        }

        var log = new IdleAdvanceLog(recorded, input.StartOffsets, input.Positions);
        if (settings.IdleTimeout is null)
        {
            if (log.Pending > 0)
            {
                logger.LogWarning("{Topic} holds {Count} idle advance(s) of earlier runs of group {Group}, which only a stage with --idle-timeout can make again: the replay rebuilds the state without them", topic, log.Pending, settings.GroupId);
            }

            return null;
        }

        if (log.Pending == 1)
        {
            logger.LogInformation("1 idle advance of an earlier run is made again where it was made");
        }
        else if (log.Pending > 1)
        {
            logger.LogInformation("{Count} idle advances of earlier runs are made again where they were made", log.Pending);
        }

        return new IdleAdvancer(settings, stage, input, publisher, scheduler, started, elapsed, log, logger);
    }

    /// <summary>
    /// Voids the advances made so far, in the topic and among those still to be made again: a
    /// partition of the input started over under the running stage, and their positions are of
    /// records that are gone. Made again at the same offsets of the new records, they would move the
    /// watermark where no input went quiet.
    /// </summary>
    public void VoidEarlier()
    {
        _logger.LogWarning("{Topic}: the idle advances of group {Group} so far were made over input that is gone, and are voided", Topics.IdleAdvances, _key);
        _log.Clear();
        PublishVoid(_publisher, _key, _logger, CancellationToken.None);
    }

    private static void PublishVoid(KafkaPublisher publisher, string group, ILogger logger, CancellationToken cancellationToken)
    {
        publisher.PublishNow(Topics.IdleAdvances, group, IdleAdvance.VoidJson);
        if (!publisher.Flush(cancellationToken))
        {
            logger.LogWarning("{Topic}: voiding them there failed; a later restart makes them again", Topics.IdleAdvances);
        }
    }

    /// <summary>
    /// Moves the stage's time on by the idle time since the last call and, when that moved the
    /// watermark, makes the advance durable before releasing its outputs. False when it could not be
    /// made durable (the advance's outputs are dropped, and the input is not committed past it).
    /// </summary>
    /// <remarks>
    /// Ctrl+C does not cut the wait for the acknowledgement short, as it does not cut the last commit's:
    /// the outputs held back would be lost.
    /// </remarks>
    public bool Tick()
    {
        TimeSpan now = _clock.Advance();
        if (!_input.Replaying)
        {
            _time += now - _lastClock;
        }

        _lastClock = now;
        long before = _stage.Watermark;
        _publisher.Hold();
        _scheduler.AdvanceTo(_started + _time);
        if (_stage.Watermark > before)
        {
            var advance = new IdleAdvance(_stage.Watermark, new Dictionary<TopicPartition, long>(_input.Positions));
            _logger.LogInformation("idle for {Timeout}: the watermark moved to {Watermark}", Duration.Format(_timeout), EventTime.Format(advance.Watermark));
            _publisher.PublishNow(Topics.IdleAdvances, _key, advance.ToJson());
            if (!_publisher.Flush(CancellationToken.None))
            {
                return false;
            }
        }

        _publisher.Release();
        return true;
    }

    /// <summary>Makes again the recorded advances that <paramref name="record"/> came after; call before the stage handles it.</summary>
    public void Before(ConsumeResult<string?, byte[]> record)
    {
        while (_log.TryTakeBefore(record.TopicPartition, record.Offset.Value, out IdleAdvance? advance))
        {
            Replay(advance!);
        }
    }

    /// <summary>Notes that the stage handled <paramref name="record"/>, and makes again the recorded advances every record before which is now handled.</summary>
    public void After(ConsumeResult<string?, byte[]> record)
    {
        _clock.RecordArrived();
        while (_log.TryTakeReached(out IdleAdvance? advance))
        {
            Replay(advance!);
        }
    }

    // The first run's idle timer fired here: the stage's time jumps by the timeout, which fires it
    // again on the same state. Outputs a commit covered were acknowledged then and are not sent again.
    private void Replay(IdleAdvance advance)
    {
        _publisher.Suppressed = advance.IsWithin(_input.Committed);
        try
        {
            _time += _timeout;
            _scheduler.AdvanceTo(_started + _time);
        }
        finally
        {
            _publisher.Suppressed = false;
        }

        if (_stage.Watermark != advance.Watermark)
        {
            // Different settings (allowed lateness, idle advance) or input the broker no longer has.
            _logger.LogWarning("an idle advance of an earlier run moved the watermark to {Recorded}; made again, it moved it to {Now}", EventTime.Format(advance.Watermark), _stage.Watermark == long.MinValue ? "nowhere" : EventTime.Format(_stage.Watermark));
        }
    }
}
