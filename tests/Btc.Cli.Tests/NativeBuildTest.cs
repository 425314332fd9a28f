using Btc.Cli.Kafka;
using Btc.Rx.Tests.Support;
using Btc.Rx.Time;

namespace Btc.Cli.Tests;

/// <summary>
/// The native build <c>./btc</c> makes runs what the rest of the suite tests on the portable build,
/// with the same results: in native code the Kafka and MongoDB clients' reflection, the loading of
/// librdkafka and the start of child processes all differ from the portable build.
/// </summary>
/// <remarks>
/// Alone in its collection, so the build's minute or two of both cores does not slow the tests that
/// time stages and brokers: xunit runs such a collection after the others.
/// </remarks>
[Collection(nameof(NativeBuildTest))]
[CollectionDefinition(nameof(NativeBuildTest), DisableParallelization = true)]
public class NativeBuildTest : IClassFixture<NativeBuild>, IDisposable
{
    private readonly NativeBuild _build;
    private readonly TempFolder _folder = new();

    public NativeBuildTest(NativeBuild build) => _build = build;

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void Pipeline_WritesByteForByteWhatThePortableBuildWrites()
    {
        _build.SkipUnlessNative();
        string input = Path.Combine(RepositoryPaths.Root, "samples", "data", "btc-price.jsonl");
        string native = _folder.File("native");
        string portable = _folder.File("portable");

        var (exitCode, stdout, stderr) = _build.Executable.Run(null, TimeSpan.FromMinutes(2), "pipeline", "--input", input, "--output-dir", native);
        Assert.True(exitCode == 0, stderr);
        Assert.Equal(0, CliRunner.Run("pipeline", "--input", input, "--output-dir", portable).ExitCode);

        string[] files = [.. Directory.GetFiles(portable).Select(Path.GetFileName).Order()!];
        Assert.Equal(5, files.Length);
        Assert.Equal(files, Directory.GetFiles(native).Select(Path.GetFileName).Order());
        foreach (string file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(portable, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(native, file))), file + " differs");
        }

        Assert.Contains("records/s", stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void KafkaStagesAndLoad_AsNativeProcesses_GiveExactlyThePipelineRecords_AndFillMongo()
    {
        _build.SkipUnlessNative();
        using var harness = new StageHarness { Executable = _build.Executable };
        string input = harness.SampleHead();
        Dictionary<string, string[]> expected = harness.PipelineOutputs(input);
        foreach (string stage in StageHarness.Stages)
        {
            harness.StartProcess(stage);
        }

        harness.Extract(input, "max");
        harness.WaitForOutputs(expected, TimeSpan.FromSeconds(60));
        harness.AssertMongoHolds(expected[Topics.ZScore], TimeSpan.FromSeconds(30));
        harness.AssertTopicsHold(expected, repeatsAllowed: false);
    }

    [SkippableFact]
    public async Task Extract_FromBinanceOverRestAndWebSocket_PublishesThePrices()
    {
        _build.SkipUnlessNative();
        await using var binance = new Binance.FakeBinance();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 100 * 100;
        binance.Trades.AddRange([("ETHUSDT", "3499.5", now), ("ETHUSDT", "3501.75", now + 50)]);
        using var cluster = new MockCluster();
        cluster.CreateTopic(Topics.Price, partitions: 1);
        cluster.CreateTopic(Topics.Rejected, partitions: 1);

        var rest = _build.Executable.Run(null, TimeSpan.FromMinutes(1), "extract", "--symbols", "BTCUSDT", "--duration", "2s", "--binance-url", binance.Url, "--bootstrap-servers", cluster.BootstrapServers);
        Assert.True(rest.ExitCode == 0, rest.Error);
        var stream = _build.Executable.Run(null, TimeSpan.FromMinutes(1), "extract", "--source", "binance-ws", "--symbols", "ETHUSDT", "--duration", "2s", "--binance-stream-url", binance.StreamUrl, "--bootstrap-servers", cluster.BootstrapServers);
        Assert.True(stream.ExitCode == 0, stream.Error);

        List<string> records = TopicReader.ReadAll(cluster.BootstrapServers, Topics.Price);
        Assert.Contains(records, r => r.StartsWith("""{"symbol": "BTCUSDT", "price": 104235.12, """, StringComparison.Ordinal));
        Assert.Contains($$"""{"symbol": "ETHUSDT", "price": 3501.75, "timestamp": "{{EventTime.Format(now)}}"}""", records);
    }

    [SkippableFact]
    public void DemoViaKafka_StartsTheBrokerAndEveryStageFromTheNativeBuild_AndItsOutputsAreExact()
    {
        _build.SkipUnlessNative();
        string output = _folder.File("out");
        var (exitCode, stdout, stderr) = _build.Executable.Run("", TimeSpan.FromMinutes(2), "demo", "--duration", "8s", "--source", "synthetic", "--via-kafka", "--output-dir", output);
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.InRange(DemoCommandTest.AssertOutputsArePipelinesOverInput(output, _folder.File("expected")), 2 * 10 * 5, 2 * 10 * 9);
        Assert.Contains("bootstrap.servers=", File.ReadAllText(Path.Combine(output, "logs", "broker.log")), StringComparison.Ordinal);
    }
}
