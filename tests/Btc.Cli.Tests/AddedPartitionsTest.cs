using Btc.Cli.Kafka;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>
/// Partitions added to a stage's input while it runs (<c>kafka-topics --alter --partitions</c>): the
/// producers spread the symbols over them, so the stage must read them too, from their first record.
/// </summary>
public class AddedPartitionsTest : IDisposable
{
    private readonly StageHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task APartitionAddedWhileTheStageRuns_IsRead_FromItsFirstRecord()
    {
        string input = _harness.SampleHead(2_000);
        string[] expected = _harness.PipelineOutputs(input)[Topics.Moving];
        string[] lines = [.. File.ReadLines(input)];
        // Long enough for the input not to count as quiet between its two halves, which would make
        // the second half's first records late.
        _harness.IdleTimeout = "15s";
        _harness.StartInProcess("moving");
        KafkaTestClient.Produce(_harness.BootstrapServers, lines[..1_000].Select(l => (new TopicPartition(Topics.Price, 0), "k", l)));
        await _harness.WaitForCount(Topics.Moving, 700, TimeSpan.FromSeconds(60));

        // The mock cluster cannot add partitions to a topic: the topic is made again with two, and the
        // rest of the input goes to the new one.
        _harness.Cluster!.DeleteTopic(Topics.Price);
        _harness.Cluster.CreateTopic(Topics.Price, partitions: 2);
        KafkaTestClient.Produce(_harness.BootstrapServers, lines[1_000..].Select(l => (new TopicPartition(Topics.Price, 1), "k", l)));
        await _harness.WaitForCount(Topics.Moving, expected.Length, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();

        Assert.Equal(expected, TopicReader.ReadAll(_harness.BootstrapServers, Topics.Moving));
        Assert.Contains("btc-price [[1]]: a partition added while the stage runs; reading it from its first record, offset 0", _harness.InProcessLogs(), StringComparison.Ordinal);
    }
}
