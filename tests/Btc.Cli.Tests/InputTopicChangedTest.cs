using Btc.Cli.Kafka;
using Btc.Cli.Stages;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Btc.Cli.Tests;

/// <summary>
/// A stage's input topic changed under it while it runs: partitions added
/// (<c>kafka-topics --alter --partitions</c>), or the topic deleted and made again.
/// </summary>
public class InputTopicChangedTest : IDisposable
{
    private readonly StageHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task APartitionAddedWhileTheStageRuns_IsRead_FromItsFirstRecord()
    {
        // Producers spread the symbols over the new partitions once they see them: unread, those
        // records were lost in silence.
        var (lines, expected) = StartOverFirstHalf();
        await _harness.WaitForCount(Topics.Moving, 700, TimeSpan.FromSeconds(60));

        // The mock cluster cannot add partitions to a topic: the topic is made again with two, and the
        // rest of the input goes to the new one.
        _harness.Cluster!.DeleteTopic(Topics.Price);
        _harness.Cluster.CreateTopic(Topics.Price, partitions: 2);
        Produce(lines[1_000..], partition: 1);
        await _harness.WaitForCount(Topics.Moving, expected.Length, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();

        Assert.Equal(expected, TopicReader.ReadAll(_harness.BootstrapServers, Topics.Moving));
        Assert.Contains("btc-price [[1]]: a partition added while the stage runs; reading it from its first record, offset 0", _harness.InProcessLogs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTopicMadeAgainWhileTheStageRuns_IsReadAsNewInput_AndCommittedFromItsStart_WithEarlierIdleAdvancesVoided()
    {
        // The consumer starts the partition over at offset 0; commits, which only move forward, then
        // waited for the new topic to pass the old offset 1,000, and the idle advances made over the
        // old records would have been made again at the same offsets of the new ones on a restart.
        _harness.IdleTimeout = "1s";
        var (lines, _) = StartOverFirstHalf();
        await StageHarness.WaitUntil(() => IdleAdvances().Count > 0, TimeSpan.FromSeconds(60), "no idle advance over the first records after 60 s");

        _harness.Cluster!.DeleteTopic(Topics.Price);
        _harness.Cluster.CreateTopic(Topics.Price, partitions: 1);
        Produce(lines[1_000..1_500], partition: 0);
        await _harness.WaitForCommit("btc-moving", Topics.Price, 500, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();

        string logs = _harness.InProcessLogs();
        Assert.Contains("btc-price [[0]]: its offsets went back from 1000 to 0: the topic was made again or truncated while the stage ran", logs, StringComparison.Ordinal);
        Assert.Contains("btc-idle-advances: the idle advances of group btc-moving so far were made over input that is gone, and are voided", logs, StringComparison.Ordinal);
        Assert.All(IdleAdvances(), a => Assert.True(a.Positions[new TopicPartition(Topics.Price, 0)] <= 500));
    }

    private (string[] Lines, string[] Expected) StartOverFirstHalf()
    {
        string input = _harness.SampleHead(2_000);
        string[] expected = _harness.PipelineOutputs(input)[Topics.Moving];
        string[] lines = [.. File.ReadLines(input)];
        if (_harness.IdleTimeout == "5s")
        {
            // Long enough for the input not to count as quiet between its two halves, which would make
            // the second half's first records late.
            _harness.IdleTimeout = "15s";
        }

        _harness.StartInProcess("moving");
        Produce(lines[..1_000], partition: 0);
        return (lines, expected);
    }

    private void Produce(IEnumerable<string> lines, int partition) =>
        KafkaTestClient.Produce(_harness.BootstrapServers, lines.Select(l => (new TopicPartition(Topics.Price, partition), "k", l)));

    private List<IdleAdvance> IdleAdvances() =>
        IdleAdvanceLog.Read(new KafkaSettings { BootstrapServers = _harness.BootstrapServers }, "btc-moving", NullLogger.Instance);
}
