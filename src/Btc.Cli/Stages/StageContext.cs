using System.Reactive.Concurrency;
using Btc.Cli.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Stages;

/// <summary>
/// What <see cref="StageRunner"/> hands a stage it creates: the settings, the producer for its
/// outputs, a logger, and the scheduler its idle timeouts run on. The runner advances that scheduler
/// between records (by the idle time of <see cref="IdleAdvancer"/>), so timers fire on the stage's one
/// thread, never beside it.
/// </summary>
internal sealed record StageContext(StageSettings Settings, KafkaPublisher Publisher, IScheduler Scheduler, ILogger Logger);
