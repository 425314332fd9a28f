using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Kafka;

/// <summary>
/// Creates the topics a stage needs where the broker supports CreateTopics; where it does not (the
/// development broker), or they exist already, the broker's own topics or auto-creation serve.
/// </summary>
internal static class TopicSetup
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Looks the topics up in one metadata request and creates the missing ones. Cancelling
    /// <paramref name="cancellationToken"/> (Ctrl+C) stops the wait at once: the admin client's calls
    /// block up to their timeout, so they run on a task of their own, which owns the client.
    /// </summary>
    public static Task EnsureAsync(KafkaSettings settings, IEnumerable<string> topics, ILogger logger, CancellationToken cancellationToken)
    {
        string[] wanted = [.. topics.Distinct()];
        return Task.Run(() => Ensure(settings, wanted, logger), CancellationToken.None).WaitAsync(cancellationToken);
    }

    private static async Task Ensure(KafkaSettings settings, string[] topics, ILogger logger)
    {
        using IAdminClient admin = settings.AdminClient(logger);
        Metadata metadata;
        try
        {
            // One request for every topic: one per topic took ten seconds each while no broker answered.
            metadata = admin.GetMetadata(RequestTimeout);
        }
        catch (KafkaException e)
        {
            logger.LogInformation("could not look the topics up ({Reason}); relying on the cluster to have or auto-create them", e.Error.Reason);
            return;
        }

        List<string> missing = [.. topics.Where(t => !metadata.Topics.Any(m => m.Topic == t && !m.Error.IsError && m.Partitions.Count > 0))];
        if (missing.Count == 0)
        {
            return;
        }

        List<TopicSpecification> specifications = [.. missing.Select(t => new TopicSpecification { Name = t, NumPartitions = 1, ReplicationFactor = -1 })];
        try
        {
            await admin.CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = RequestTimeout }).ConfigureAwait(false);
            logger.LogInformation("created topics {Topics}", string.Join(", ", specifications.Select(s => s.Name)));
        }
        catch (CreateTopicsException e)
        {
            IEnumerable<CreateTopicReport> failed = e.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists);
            foreach (CreateTopicReport report in failed)
            {
                logger.LogInformation("could not create topic {Topic} ({Reason}); relying on the broker to have or auto-create it", report.Topic, report.Error.Reason);
            }
        }
        catch (KafkaException e)
        {
            logger.LogInformation("the broker does not create topics on request ({Reason}); relying on it to have or auto-create them", e.Error.Reason);
        }
    }
}
