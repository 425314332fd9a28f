using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Kafka;

/// <summary>librdkafka's own log lines, warnings and worse, as one log event each.</summary>
internal static class KafkaLog
{
    public static void Write(ILogger logger, LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            logger.LogWarning("kafka {Facility}: {Message}", message.Facility, message.Message);
        }
    }
}
