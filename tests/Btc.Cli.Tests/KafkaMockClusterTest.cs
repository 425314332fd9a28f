using System.Diagnostics;
using Btc.Cli.Kafka;

namespace Btc.Cli.Tests;

/// <summary>The mock cluster is a real Kafka-protocol server: Confluent's clients produce, consume and commit through it.</summary>
public class KafkaMockClusterTest
{
    [Fact]
    public void IdempotentProducer_AndConsumerGroup_RoundTrip()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("roundtrip", partitions: 3);
        KafkaTestClient.Produce(cluster.BootstrapServers, "roundtrip", 300);

        List<string> values = KafkaTestClient.Consume(cluster.BootstrapServers, "roundtrip", "group-a", 300);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"value {i}").Order(), values.Order());

        // Offsets were committed: the same group sees nothing more, a new group sees everything.
        Assert.Empty(KafkaTestClient.Consume(cluster.BootstrapServers, "roundtrip", "group-a", 0, TimeSpan.FromSeconds(2)));
        Assert.Equal(300, KafkaTestClient.Consume(cluster.BootstrapServers, "roundtrip", "group-b", 300).Count);
    }

    [Fact]
    public async Task BrokerDownForAWhile_ProducerDeliversEverythingOnceWhenItIsBack()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("outage", partitions: 1);
        cluster.SetBrokerUp(1, up: false);
        Task produce = Task.Run(() => KafkaTestClient.Produce(cluster.BootstrapServers, "outage", 100));
        await Task.Delay(3000);
        Assert.False(produce.IsCompleted);
        cluster.SetBrokerUp(1, up: true);
        await produce.WaitAsync(TimeSpan.FromSeconds(60));

        List<string> values = KafkaTestClient.Consume(cluster.BootstrapServers, "outage", "group", 100);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"value {i}"), values);
    }

    [Fact]
    public void BrokerCommand_PrintsBootstrapFirst_ServesClients_AndStopsOnSigterm()
    {
        using Process broker = ChildCommand.Btc.Start(["broker", "--partitions", "2"]);
        try
        {
            string first = broker.StandardOutput.ReadLine()!;
            Assert.Matches(@"^bootstrap\.servers=127\.0\.0\.1:\d+$", first);
            string bootstrap = first["bootstrap.servers=".Length..];
            KafkaTestClient.Produce(bootstrap, "btc-price", 20);
            Assert.Equal(20, KafkaTestClient.Consume(bootstrap, "btc-price", "cli-test", 20).Count);

            Process.Start("kill", ["-TERM", broker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            Assert.True(broker.WaitForExit(10_000), "the broker did not stop on SIGTERM");
            Assert.Equal(0, broker.ExitCode);
        }
        finally
        {
            if (!broker.HasExited)
            {
                broker.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public void BrokerHelp_SaysItIsNotForProduction()
    {
        var (exitCode, output, _) = CliRunner.Run("broker", "--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("memory only", output, StringComparison.Ordinal);
        Assert.Contains("NOT for production", output, StringComparison.Ordinal);
    }
}
