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
    public static async Task EnsureAsync(KafkaSettings settings, IEnumerable<string> topics, ILogger logger)
    {
        using IAdminClient admin = settings.AdminClient(logger);
        List<string> missing = [.. topics.Distinct().Where(t => !Exists(admin, t))];
        if (missing.Count == 0)
        {
            return;
        }

        List<TopicSpecification> specifications = [.. missing.Select(t => new TopicSpecification { Name = t, NumPartitions = 1, ReplicationFactor = -1 })];
        try
        {
            await admin.CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10) }).ConfigureAwait(false);
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

    private static bool Exists(IAdminClient admin, string topic)
    {
        try
        {
            return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Any(t => t.Topic == topic && !t.Error.IsError && t.Partitions.Count > 0);
        }
        catch (KafkaException)
        {
            return false;
        }
    }
}
