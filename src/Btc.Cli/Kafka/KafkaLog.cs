using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Kafka;

/// <summary>
/// librdkafka's own log lines, warnings and worse, as one log event each. While a broker is down the
/// client retries every few milliseconds and says so each time; the same complaint is logged at most
/// once per ten seconds.
/// </summary>
internal static class KafkaLog
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<string, DateTime> LastSaid = new();

    // librdkafka names a broker it has not yet reached "host:port/bootstrap", one it knows by its id.
    private const string UnreachableBootstrap = "/bootstrap: Connect to";

    public static void Write(ILogger logger, LogMessage message)
    {
        if (message.Level > SyslogLevel.Warning)
        {
            return;
        }

        // The text up to the first parenthesis names the complaint; what follows are timings.
        int cut = message.Message.IndexOf('(', StringComparison.Ordinal);
        string complaint = message.Name + " " + message.Facility + " " + (cut < 0 ? message.Message : message.Message[..cut]);
        DateTime now = DateTime.UtcNow;
        if (LastSaid.TryGetValue(complaint, out DateTime last) && now - last < Quiet)
        {
            return;
        }

        LastSaid[complaint] = now;
        if (message.Message.Contains(UnreachableBootstrap, StringComparison.Ordinal))
        {
            // Not a broker that went away but one never reached: most often none was started.
            logger.LogWarning("kafka {Facility}: {Message}; retrying until a broker answers (without a Kafka cluster, ./btc broker runs one and prints its address for --bootstrap-servers)", message.Facility, message.Message);
            return;
        }

        logger.LogWarning("kafka {Facility}: {Message}", message.Facility, message.Message);
    }
}
