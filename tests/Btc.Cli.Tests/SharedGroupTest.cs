namespace Btc.Cli.Tests;

/// <summary>
/// A second process of a stage in its consumer group: nothing in Kafka stops it (the input is
/// assigned, not shared out by the group), and it sends every output again, so the stage says so.
/// </summary>
public class SharedGroupTest : IDisposable
{
    private const string Warning = "another process commits offsets in consumer group btc-moving";
    private readonly StageHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void TwoProcessesOfOneStageInOneGroup_AreToldAnotherCommitsThere()
    {
        _harness.StartInProcess("moving");
        _harness.StartInProcess("moving");
        // Ten seconds of prices (100 s of the sample at 10x): both commit every 200 ms as they go,
        // each moving the group's offsets on from where the other left them. Each usually says so;
        // on a loaded machine one may start too late to see the other move the offsets.
        _harness.Extract(_harness.SampleHead(2_000), "10x");
        _harness.StopInProcess();

        string logs = _harness.InProcessLogs();
        Assert.InRange(logs.Split(Warning).Length - 1, 1, 2);
        Assert.Contains("where this process left ", logs, StringComparison.Ordinal);
    }

    [Fact]
    public void OneProcess_StoppedAndStartedAgain_SaysNothing()
    {
        // The offsets a restarted stage finds are its own earlier run's, not another process's.
        string[] lines = [.. File.ReadLines(_harness.SampleHead(2_000))];
        _harness.StartInProcess("moving");
        _harness.Extract(_harness.Folder.Write("first.jsonl", lines[..1_000]), "20x");
        _harness.StopInProcess();
        _harness.StartInProcess("moving");
        _harness.Extract(_harness.Folder.Write("second.jsonl", lines[1_000..]), "20x");
        _harness.StopInProcess();

        string logs = _harness.InProcessLogs();
        Assert.Contains("rebuilding state", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Warning, logs, StringComparison.Ordinal);
    }
}
