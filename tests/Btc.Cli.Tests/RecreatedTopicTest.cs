using Btc.Cli.Kafka;
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
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (TopicReader.Committed(_harness.BootstrapServers, "btc-moving", Topics.Price) != 1_000 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        _harness.StopInProcess();
        Assert.Equal(expected, TopicReader.ReadAll(_harness.BootstrapServers, Topics.Moving));
        Assert.Equal(1_000, TopicReader.Committed(_harness.BootstrapServers, "btc-moving", Topics.Price));
        Assert.Contains("btc-price [[0]]: the committed offset 50000 is past the end of the partition (1000)", _harness.InProcessLogs(), StringComparison.Ordinal);
    }

    private void CommitOffset(string group, TopicPartitionOffset offset)
    {
        _ = NativeLibrdkafka.Handle;
        var config = new ConsumerConfig { BootstrapServers = _harness.BootstrapServers, GroupId = group, EnableAutoCommit = false };
        using IConsumer<string, string> consumer = new ConsumerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Commit([offset]);
    }
}
