using Btc.Cli.Kafka;
using Btc.Cli.Logging;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Tests;

/// <summary>librdkafka's complaints in the tool's log: once per ten seconds each, and with a hint when no broker was ever reached.</summary>
public class KafkaLogTest
{
    private readonly StringWriter _log = new();

    private ILogger Logger() => CommandLogging.Create(TextWriter.Synchronized(_log)).CreateLogger("moving");

    // Each test names its client differently: the complaints' throttle is shared by the process.
    private static LogMessage Message(string client, string text) => new(client, SyslogLevel.Error, "FAIL", text);

    [Fact]
    public void ABootstrapServerThatRefuses_IsLoggedOnce_WithHowToStartABroker()
    {
        ILogger logger = Logger();
        LogMessage refused = Message("rdkafka#test-bootstrap", "localhost:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection refused (after 0ms in state CONNECT)");
        KafkaLog.Write(logger, refused);
        KafkaLog.Write(logger, refused);

        string log = _log.ToString();
        Assert.Single(log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Connection refused", log, StringComparison.Ordinal);
        Assert.Contains("./btc broker runs one and prints its address for --bootstrap-servers", log, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokerThatWentDown_IsLoggedWithoutTheHint()
    {
        KafkaLog.Write(Logger(), Message("rdkafka#test-down", "127.0.0.1:43031/1: Connect to ipv4#127.0.0.1:43031 failed: Connection refused (after 0ms in state CONNECT)"));
        Assert.Contains("Connection refused", _log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("./btc broker", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void InformationalLines_AreLeftOut()
    {
        KafkaLog.Write(Logger(), new LogMessage("rdkafka#test-info", SyslogLevel.Info, "INIT", "starting"));
        Assert.Equal("", _log.ToString());
    }
}
