using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Kafka;

/// <summary>Whether a Kafka cluster answers at all, for commands that would otherwise wait on it without a word.</summary>
internal static class ClusterProbe
{
    /// <summary>True when a broker of <paramref name="settings"/> answers a metadata request within <paramref name="timeout"/>.</summary>
    public static bool Answers(KafkaSettings settings, TimeSpan timeout, ILogger logger)
    {
        using IAdminClient admin = settings.AdminClient(logger);
        try
        {
            return admin.GetMetadata(timeout).Brokers.Count > 0;
        }
        catch (KafkaException)
        {
            return false;
        }
    }
}
