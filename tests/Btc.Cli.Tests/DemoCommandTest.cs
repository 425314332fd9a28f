using System.Diagnostics;
using System.Text.RegularExpressions;
using Btc.Cli.Demo;
using Btc.Cli.Kafka;
using Btc.Cli.Pipeline;

namespace Btc.Cli.Tests;

/// <summary>
/// <c>btc demo</c> without a terminal: exits 0, leaves no process behind, and writes outputs that are
/// exactly what <c>btc pipeline</c> computes from the input the demo recorded.
/// </summary>
public partial class DemoCommandTest : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AFileAsOutputFolder_FailsWithOneSentence_BeforeAnythingStarts()
    {
        string file = _folder.Write("a-file", ["x"]);
        var (exitCode, stdout, stderr) = CliRunner.Run("demo", "--duration", "1s", "--source", "synthetic", "--output-dir", file);
        Assert.Equal(2, exitCode);
        Assert.Equal($"btc demo: '{file}' is a file; --output-dir takes a folder.", stderr.Trim());
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task ItsFilesAreWrittenWhileItRuns()
    {
        // Users follow the files during a demo (tail -f); at a few symbols' pace a 128 KiB buffer would take minutes to fill.
        string output = _folder.File("out");
        string prices = Path.Combine(output, Topics.Price + ".jsonl");
        Task<(int, string, string)> demo = Task.Run(() => CliRunner.Run("demo", "--duration", "8s", "--source", "synthetic", "--output-dir", output));
        int writtenWhileRunning = 0;
        while (!demo.IsCompleted && writtenWhileRunning < 20)
        {
            await Task.Delay(100);
            writtenWhileRunning = File.Exists(prices) && !demo.IsCompleted ? File.ReadAllLines(prices).Length : writtenWhileRunning;
        }

        var (exitCode, _, stderr) = await demo;
        Assert.True(exitCode == 0, stderr);
        Assert.True(writtenWhileRunning >= 20, $"{writtenWhileRunning} prices in {prices} while the demo ran");
    }

    [SkippableFact]
    public void AnOutputThatCannotBeWritten_StopsTheDemoWithinSeconds_WithOneSentence()
    {
        // An output that is a symbolic link is written through: this one leads to a device that is always full.
        Skip.IfNot(File.Exists("/dev/full"), "needs /dev/full for an output that cannot be written");
        string output = Directory.CreateDirectory(_folder.File("out")).FullName;
        string prices = Path.Combine(output, Topics.Price + ".jsonl");
        File.CreateSymbolicLink(prices, "/dev/full");
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, _, stderr) = CliRunner.Run("demo", "--duration", "60s", "--source", "synthetic", "--output-dir", output);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"the demo ran {stopwatch.Elapsed} with an output it could not write");
        Assert.Equal(1, exitCode);
        Assert.Equal($"btc demo: Writing an output file failed: No space left on device : '{prices}'", stderr.Trim());
    }

    [Fact]
    public void InProcess_Synthetic15s_ExitsZero_AndItsOutputsAreThePipelinesOverItsInput()
    {
        string output = _folder.File("out");
        var (exitCode, stdout, stderr) = CliRunner.Run("demo", "--duration", "15s", "--source", "synthetic", "--output-dir", output);
        Assert.True(exitCode == 0, stderr);
        Assert.StartsWith("source: synthetic: a seeded random walk", stdout, StringComparison.Ordinal);
        // A status line while it ran, every 5 s: the first reads 00:04 when its timer fires a millisecond
        // early (the clock shows whole seconds), the second 00:10 when it is a little late.
        Assert.Matches(@"demo 00:(0[4-9]|1[0-4]) \| prices", stdout);
        Assert.Contains("results in " + output, stdout, StringComparison.Ordinal);
        int prices = AssertExact(output);
        Assert.InRange(prices, 2 * 10 * 13, 2 * 10 * 16);
    }

    [Fact]
    public void ViaKafka_Synthetic15s_ExitsZero_NoChildLeft_AndItsOutputsAreThePipelinesOverItsInput()
    {
        // As its own process: its children are started from the same build of the tool.
        string output = _folder.File("out");
        var (exitCode, stdout, stderr) = CliRunner.RunProcess("", "demo", "--duration", "15s", "--source", "synthetic", "--via-kafka", "--output-dir", output);
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Empty(ProcessesUsing(Bootstrap(stdout)));
        int prices = AssertExact(output);
        Assert.InRange(prices, 2 * 10 * 12, 2 * 10 * 16);
        Assert.True(File.Exists(Path.Combine(output, "logs", "moving.log")));
    }

    [Fact]
    public void ViaKafka_AGivenClusterThatDoesNotAnswer_EndsTheDemoInSeconds_AndSaysSo()
    {
        // Nothing listens on port 1: without the check every child would wait on it, and the demo for minutes.
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, _, stderr) = CliRunner.Run("demo", "--via-kafka", "--bootstrap-servers", "127.0.0.1:1", "--source", "synthetic", "--duration", "3s", "--output-dir", _folder.File("out"));
        Assert.Equal(1, exitCode);
        Assert.Contains("error demo: no Kafka broker answers at 127.0.0.1:1 within 10 s", stderr, StringComparison.Ordinal);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void ViaKafka_SourceAuto_WithoutBinance_FallsBackToSyntheticPrices_AndSaysSo()
    {
        // Nothing listens on port 9 here: Binance "does not answer", so the demo must not start an
        // extract that polls it in vain but one with synthetic prices.
        string output = _folder.File("out");
        var (exitCode, stdout, stderr) = CliRunner.RunProcess("", "demo", "--duration", "8s", "--source", "auto", "--binance-url", "http://127.0.0.1:9", "--via-kafka", "--output-dir", output);
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Contains("source auto: Binance at http://127.0.0.1:9 does not answer within 3 s, using synthetic prices", stderr, StringComparison.Ordinal);
        Assert.Contains("extract: source synthetic,", File.ReadAllText(Path.Combine(output, "logs", "extract.log")), StringComparison.Ordinal);
        Assert.InRange(AssertExact(output), 2 * 10 * 5, 2 * 10 * 9);
    }

    [SkippableTheory]
    [InlineData(false, PosixSignals.Interrupt)]
    [InlineData(true, PosixSignals.Interrupt)]
    [InlineData(false, PosixSignals.Terminate)]
    [InlineData(true, PosixSignals.Terminate)]
    public async Task SigintOrSigterm_StopsTheDemoAndEveryChild_AndFlushesWhatWasFinal(bool viaKafka, int signal)
    {
        // A test run started in the background by a non-interactive shell ignores SIGINT, and so does
        // every process it starts: no one could interrupt the demo that way there.
        Skip.If(signal == PosixSignals.Interrupt && PosixSignals.InterruptIgnored(), "SIGINT is ignored in this test run (started in the background), so it cannot reach the demo");
        string output = _folder.File("out");
        using Process demo = ChildCommand.Btc.Start(["demo", "--source", "synthetic", "--output-dir", output, .. viaKafka ? (string[])["--via-kafka"] : []]);
        Task<string> stdout = demo.StandardOutput.ReadToEndAsync();
        Task<string> stderr = demo.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.True(PosixSignals.Send(demo.Id, signal));
        if (!demo.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            // Leave nothing running for the next test: the demo and whatever it started.
            demo.Kill(entireProcessTree: true);
            Assert.Fail($"the demo did not stop after signal {signal}");
        }

        Assert.True(demo.ExitCode == 0, await stderr);
        if (viaKafka)
        {
            Assert.Empty(ProcessesUsing(Bootstrap(await stdout)));
        }

        Assert.Contains("results in", await stdout, StringComparison.Ordinal);
        Assert.True(AssertExact(output) > 0);
    }

    private int AssertExact(string output) => AssertOutputsArePipelinesOverInput(output, _folder.File("expected"));

    /// <summary>
    /// A demo's outputs must be what btc pipeline computes from the input it recorded, line for line;
    /// returns the number of prices it recorded.
    /// </summary>
    internal static int AssertOutputsArePipelinesOverInput(string output, string expected)
    {
        string input = Path.Combine(output, Topics.Price + ".jsonl");
        using (FileStream stream = File.OpenRead(input))
        {
            PipelineService.Run(new PipelineOptions { Input = input, OutputDirectory = expected }, stream);
        }

        foreach (string topic in (string[])[Topics.Moving, Topics.ZScore, Topics.Higher, Topics.Lower])
        {
            string[] lines = File.ReadAllLines(Path.Combine(output, topic + ".jsonl"));
            Assert.Equal(File.ReadAllLines(Path.Combine(expected, topic + ".jsonl")), lines);
        }

        return File.ReadAllLines(input).Length;
    }

    private static string Bootstrap(string stdout) => BootstrapLine().Match(stdout) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no bootstrap line in: " + stdout);

    // Children are started with the broker's address on their command line.
    private static List<string> ProcessesUsing(string bootstrap) =>
        [.. Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Where(File.Exists)
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains(bootstrap, StringComparison.Ordinal))];

    [GeneratedRegex(@"bootstrap\.servers=(127\.0\.0\.1:\d+)")]
    private static partial Regex BootstrapLine();
}
