using System.Diagnostics;
using System.Reactive.Concurrency;
using Btc.Cli.Kafka;
using Btc.Cli.Logging;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Stages;

/// <summary>
/// Runs a stage until Ctrl+C: rebuild state from the input before the committed offsets, then
/// consume, apply, produce; every commit interval make the outputs durable first and only then commit
/// the offsets they cover (at-least-once with deterministic outputs: after a crash a record may
/// repeat in an output topic, never differ).
/// </summary>
internal static class StageRunner
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(string name, StageSettings settings, Func<StageContext, IStage> create, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using ILoggerFactory logging = CommandLogging.Create(error);
        ILogger logger = logging.CreateLogger(name);
        var clock = Stopwatch.StartNew();
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var scheduler = new HistoricalScheduler(started);
        using var publisher = new KafkaPublisher(settings.Kafka, logger);
        using IStage stage = create(new StageContext(settings, publisher, scheduler, logger));
        logger.LogInformation("consuming {Inputs} as group {Group} on {Kafka}", string.Join(", ", stage.InputTopics), settings.GroupId, settings.Kafka.Describe());
        try
        {
            await TopicSetup.EnsureAsync(settings.Kafka, [.. stage.InputTopics, .. stage.OutputTopics, .. IdleAdvancer.TopicsOf(settings, stage)], logger, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C before the stage started (a cluster that does not answer holds the setup up): nothing to flush or commit.
            output.WriteLine($"{name}: stopped while setting up its topics, before consuming anything");
            return 0;
        }

        // The loop blocks (polling Kafka, waiting for MongoDB), so it gets a thread of its own rather
        // than one of the pool's, which stays free for the clients' callbacks and other stages.
        return await Task.Factory.StartNew(
            () => Loop(name, settings, stage, publisher, scheduler, started, clock, logger, output, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).ConfigureAwait(false);
    }

    private static int Loop(string name, StageSettings settings, IStage stage, KafkaPublisher publisher, HistoricalScheduler scheduler, DateTimeOffset started, Stopwatch clock, ILogger logger, TextWriter output, CancellationToken cancellationToken)
    {
        using var input = new StageInput(settings.Kafka, settings.GroupId, stage.InputTopics, stage.RebuildsState, logger);
        IdleAdvancer? idle;
        try
        {
            stage.Start(cancellationToken);
            input.Start(cancellationToken);
            stage.Assigned(input.StartOffsets.Keys, input.ReadToEnd);
            // Without idle timeouts nothing is scheduled, and the idle clock (which asks the broker
            // about a quiet input) is not needed.
            idle = IdleAdvancer.Start(settings, stage, input, publisher, scheduler, started, () => clock.Elapsed, logger, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C while the stage waited to start (MongoDB, its input topics to exist): nothing to flush or commit.
            output.WriteLine($"{name}: stopped while starting, before consuming anything");
            return 0;
        }

        TimeSpan lastCommit = clock.Elapsed;
        TimeSpan lastReport = clock.Elapsed;
        var sharedGroup = new SharedGroupWatch(input, settings.GroupId, logger);
        bool failed = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Idle timeouts fire here, on this thread, between records.
            if (idle is not null && !idle.Tick())
            {
                failed = true; // an advance that could not be made durable, reported below
                break;
            }

            if (input.Next(PollTimeout) is var (record, replay))
            {
                if (input.TakeWentBack())
                {
                    idle?.VoidEarlier();
                }

                idle?.Before(record);
                stage.OnRecord(record, replay);
                idle?.After(record);
            }

            if (input.AssignAdded().Count > 0)
            {
                stage.Assigned(input.StartOffsets.Keys, input.ReadToEnd);
            }

            if (publisher.Failed > 0)
            {
                failed = true;
                break;
            }

            if (!input.Replaying && clock.Elapsed - lastCommit >= settings.CommitInterval)
            {
                sharedGroup.BeforeCommit();
                if (!Commit(stage, input, logger, cancellationToken))
                {
                    failed = !cancellationToken.IsCancellationRequested;
                    break;
                }

                lastCommit = clock.Elapsed;
            }

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
            {
                logger.LogInformation("{Consumed} records consumed, {Replayed} replayed; {Counts}", input.Consumed, input.Replayed, stage.Describe());
                lastReport = clock.Elapsed;
            }
        }

        // Stopping (Ctrl+C): make what was produced durable and commit it; a second Ctrl+C is not
        // wired to this flush, so it completes unless the cluster is gone.
        if (!failed && !input.Replaying && !Commit(stage, input, logger, CancellationToken.None))
        {
            logger.LogError("the last outputs could not be made durable; their input is not committed and is processed again on restart");
            failed = true;
        }

        if (publisher.Failed > 0)
        {
            logger.LogError("{Failed} output records could not be delivered ({Error}); their input was not committed and is processed again on restart", publisher.Failed, publisher.FirstError);
        }

        output.WriteLine($"{name}: {input.Consumed:N0} records consumed, {input.Replayed:N0} replayed to rebuild state; {stage.Describe()}; {clock.Elapsed.TotalSeconds:F1} s");
        return failed ? 1 : 0;
    }

    private static bool Commit(IStage stage, StageInput input, ILogger logger, CancellationToken cancellationToken)
    {
        if (!stage.Flush(cancellationToken))
        {
            return false;
        }

        try
        {
            input.Commit();
            return true;
        }
        catch (KafkaException e)
        {
            // Not fatal: the outputs are durable, so the next commit covers this input too.
            logger.LogWarning("committing offsets failed ({Reason}); retrying with the next commit", e.Error.Reason);
            return true;
        }
    }
}
