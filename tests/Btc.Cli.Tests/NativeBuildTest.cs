using Btc.Rx.Tests.Support;

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
        harness.AssertMongoHolds(expected[Btc.Cli.Kafka.Topics.ZScore], TimeSpan.FromSeconds(30));
        harness.AssertTopicsHold(expected, repeatsAllowed: false);
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
