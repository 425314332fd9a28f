using System.Text;
using Btc.Cli.Kafka;
using Btc.Cli.Stages;
using Btc.Rx.Tests.Support;
using Confluent.Kafka;

namespace Btc.Cli.Tests;

/// <summary>
/// A stage whose group committed an offset past the end of its input: the topic was deleted and made
/// again (common in development), or truncated. Its records are new, and are processed as such.
/// </summary>
public class RecreatedTopicTest : IDisposable
{
    private readonly StageHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ACommittedOffsetPastTheEnd_IsReported_AndTheInputIsProcessedFromItsStart()
    {
        string input = _harness.SampleHead(1_000);
        string[] expected = _harness.PipelineOutputs(input)[Topics.Moving];
        _harness.Extract(input, "max");
        // What the group committed over the topic's earlier life: far past the 1,000 records it holds now.
        CommitOffset("btc-moving", new TopicPartitionOffset(Topics.Price, 0, 50_000));

        _harness.StartInProcess("moving");
        await _harness.WaitForCount(Topics.Moving, expected.Length, TimeSpan.FromSeconds(60));
        // Its commits go on from where the input is now.
        await _harness.WaitForCommit("btc-moving", Topics.Price, 1_000, TimeSpan.FromSeconds(30));
        _harness.StopInProcess();
        Assert.Equal(expected, TopicReader.ReadAll(_harness.BootstrapServers, Topics.Moving));
        Assert.Equal(1_000, TopicReader.Committed(_harness.BootstrapServers, "btc-moving", Topics.Price));
        Assert.Contains("btc-price [[0]]: the committed offset 50000 is past the end of the partition (1000)", _harness.InProcessLogs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleAdvancesOfTheInputsEarlierLife_AreVoided_AndNotMadeAgain_NorAfterALaterRestart()
    {
        string input = _harness.SampleHead(1_000);
        string[] expected = _harness.PipelineOutputs(input)[Topics.Moving];
        _harness.Extract(input, "max");
        // What the group recorded and committed over the topic's earlier life: an idle advance after
        // its record 300, and an offset far past the 1,000 records the topic holds now.
        var earlier = new IdleAdvance(T.At(-3600), new Dictionary<TopicPartition, long> { [new TopicPartition(Topics.Price, 0)] = 300 });
        KafkaTestClient.Produce(_harness.BootstrapServers, [(new TopicPartition(Topics.IdleAdvances, 0), "btc-moving", Encoding.UTF8.GetString(earlier.ToJson()))]);
        CommitOffset("btc-moving", new TopicPartitionOffset(Topics.Price, 0, 50_000));

        // The idle timeout finalizes the new input, and records an advance of its own.
        _harness.StartInProcess("moving");
        await _harness.WaitForCount(Topics.Moving, expected.Length, TimeSpan.FromSeconds(60));
        _harness.StopInProcess();
        Assert.Contains("1 idle advance(s) of group btc-moving were made over the input before it started over, and are not made again", _harness.InProcessLogs(), StringComparison.Ordinal);

        // A restart reads the new life's advance only: made again after record 300, the earlier one
        // would move the watermark where no input went quiet.
        _harness.StartInProcess("moving");
        await Task.Delay(TimeSpan.FromSeconds(3));
        _harness.StopInProcess();
        string logs = _harness.InProcessLogs();
        Assert.Contains("1 idle advance of an earlier run is made again where it was made", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("an idle advance of an earlier run moved the watermark", logs, StringComparison.Ordinal);
        Assert.Equal(expected, TopicReader.ReadAll(_harness.BootstrapServers, Topics.Moving));
    }

    private void CommitOffset(string group, TopicPartitionOffset offset)
    {
        _ = NativeLibrdkafka.Handle;
        var config = new ConsumerConfig { BootstrapServers = _harness.BootstrapServers, GroupId = group, EnableAutoCommit = false };
        using IConsumer<string, string> consumer = new ConsumerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Commit([offset]);
    }
}
