using System.Diagnostics;
using Btc.Cli.Demo;
using Btc.Cli.Pipeline;
using Btc.Rx.Tests.Support;

namespace Btc.Cli.Tests;

public class PipelineCommandTest : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly string[] SmallInput =
    [
        """{"symbol": "BTCUSDT", "price": 100.5, "timestamp": "2026-11-24T10:00:00.000Z"}""",
        """{"symbol": "BTCUSDT", "price": 101, "timestamp": "2026-11-24T10:00:00.100Z"}""",
        """{"symbol": "BTCUSDT", "price": 99.9, "timestamp": "2026-11-24T10:00:00.300Z"}""",
        """{"symbol": "BTCUSDT", "price": 100.5, "timestamp": "2026-11-24T10:00:00.200Z"}""",
        """{"symbol": "BTCUSDT", "price": 100.7, "timestamp": "2026-11-24T10:00:00.200Z"}""",
        "",
        """{"symbol": "BTCUSDT", "price": 102, "timestamp": "2026-11-24T10:00:30.300Z"}""",
        """{"symbol": "BTCUSDT", "price": 102, "timestamp": "2026-11-24T10:00:10.000Z"}""",
    ];

    [Fact]
    public void SmallFile_WritesExactlyTheTopicValues()
    {
        string input = _folder.Write("in.jsonl", SmallInput);
        string output = _folder.File("out");
        var (exitCode, stdout, stderr) = CliRunner.Run("pipeline", "--input", input, "--output-dir", output, "--windows", "30s,1m");
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);

        Assert.Equal(
        [
            """{"timestamp": "2026-11-24T10:00:00.000Z", "symbol": "BTCUSDT", "windows": [{"window": "30s", "avg_price": 100.5, "std_price": 0.0}, {"window": "1m", "avg_price": 100.5, "std_price": 0.0}]}""",
            """{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "BTCUSDT", "windows": [{"window": "30s", "avg_price": 100.75, "std_price": 0.3535533905932738}, {"window": "1m", "avg_price": 100.75, "std_price": 0.3535533905932738}]}""",
            """{"timestamp": "2026-11-24T10:00:00.200Z", "symbol": "BTCUSDT", "windows": [{"window": "30s", "avg_price": 100.66666666666667, "std_price": 0.28867513459481287}, {"window": "1m", "avg_price": 100.66666666666667, "std_price": 0.28867513459481287}]}""",
            """{"timestamp": "2026-11-24T10:00:00.300Z", "symbol": "BTCUSDT", "windows": [{"window": "30s", "avg_price": 100.475, "std_price": 0.45}, {"window": "1m", "avg_price": 100.475, "std_price": 0.45}]}""",
            """{"timestamp": "2026-11-24T10:00:30.300Z", "symbol": "BTCUSDT", "windows": [{"window": "30s", "avg_price": 102.0, "std_price": 0.0}, {"window": "1m", "avg_price": 100.78, "std_price": 0.7854934754662192}]}""",
        ],
        _folder.ReadLines("out/btc-price-moving.jsonl"));
        Assert.Equal(
            """{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "BTCUSDT", "zscores": [{"window": "30s", "zscore_price": 0.7071067811865475}, {"window": "1m", "zscore_price": 0.7071067811865475}]}""",
            _folder.ReadLines("out/btc-price-zscore.jsonl")[1]);
        Assert.Equal(
        [
            """{"timestamp": "2026-11-24T10:00:00.000Z", "symbol": "BTCUSDT", "higher_window": 0.1}""",
            """{"timestamp": "2026-11-24T10:00:00.100Z", "symbol": "BTCUSDT", "higher_window": 20.0}""",
            """{"timestamp": "2026-11-24T10:00:00.200Z", "symbol": "BTCUSDT", "higher_window": 20.0}""",
            """{"timestamp": "2026-11-24T10:00:00.300Z", "symbol": "BTCUSDT", "higher_window": 20.0}""",
            """{"timestamp": "2026-11-24T10:00:30.300Z", "symbol": "BTCUSDT", "higher_window": 20.0}""",
        ],
        _folder.ReadLines("out/btc-price-higher.jsonl"));
        Assert.Equal(
            """{"timestamp": "2026-11-24T10:00:00.000Z", "symbol": "BTCUSDT", "lower_window": 0.3}""",
            _folder.ReadLines("out/btc-price-lower.jsonl")[2]);
        Assert.Equal(
        [
            """{"stage": "pipeline", "reason": "duplicate", "detail": "a record for BTCUSDT at 2026-11-24T10:00:00.200Z was accepted before", "value": "{\"symbol\": \"BTCUSDT\", \"price\": 100.7, \"timestamp\": \"2026-11-24T10:00:00.200Z\"}"}""",
            """{"stage": "pipeline", "reason": "late", "detail": "timestamp 2026-11-24T10:00:10.000Z is before the watermark 2026-11-24T10:00:20.300Z (allowed lateness 10s)", "value": "{\"symbol\": \"BTCUSDT\", \"price\": 102, \"timestamp\": \"2026-11-24T10:00:10.000Z\"}"}""",
        ],
        _folder.ReadLines("out/btc-price-rejected.jsonl"));

        Assert.Matches(@"lines read\s+7\n", stdout);
        Assert.Matches(@"accepted\s+5\n", stdout);
        Assert.Matches(@"late\s+1\n", stdout);
        Assert.Matches(@"duplicate\s+1\n", stdout);
        Assert.Matches(@"invalid\s+0\n", stdout);
        Assert.Matches(@"wrote\s+5 records to .*btc-price-moving.jsonl", stdout);
        Assert.Matches(@"elapsed\s+[0-9.]+ s \([0-9,]+ records/s\)", stdout);
    }

    [Fact]
    public void EveryKindOfBadLine_IsRejectedWithItsReason_AndNothingStops()
    {
        string[] bad =
        [
            "not json",
            "[1, 2, 3]",
            """{"symbol": "BTCUSDT", "price": "abc", "timestamp": "2026-11-24T10:00:01.000Z"}""",
            """{"symbol": "BTCUSDT", "price": -1, "timestamp": "2026-11-24T10:00:01.000Z"}""",
            """{"symbol": "BTCUSDT", "price": 0, "timestamp": "2026-11-24T10:00:01.000Z"}""",
            """{"symbol": "BTCUSDT", "price": 1e400, "timestamp": "2026-11-24T10:00:01.000Z"}""",
            """{"symbol": "BTCUSDT", "timestamp": "2026-11-24T10:00:01.000Z"}""",
            """{"price": 1, "timestamp": "2026-11-24T10:00:01.000Z"}""",
            """{"symbol": "BTCUSDT", "price": 1}""",
            """{"symbol": 7, "price": 1, "timestamp": "2026-11-24T10:00:01.000Z"}""",
            """{"symbol": "BTCUSDT", "price": 1, "timestamp": "tomorrow"}""",
            """{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:01.000Z"} trailing""",
            """{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:01.000Z" """,
            "\u00ff\u00fe binary",
        ];
        string good = """{"symbol": "BTCUSDT", "price": 5, "timestamp": "2026-11-24T10:00:02.000Z"}""";
        string input = _folder.Write("in.jsonl", [.. bad, good]);
        var (exitCode, stdout, _) = CliRunner.Run("pipeline", "-i", input, "-o", _folder.File("out"));
        Assert.Equal(0, exitCode);
        string[] rejected = _folder.ReadLines("out/btc-price-rejected.jsonl");
        Assert.Equal(bad.Length, rejected.Length);
        Assert.All(rejected, r => Assert.StartsWith("""{"stage": "pipeline", "reason": "invalid", "detail": """, r, StringComparison.Ordinal));
        Assert.Contains("price must be a JSON number", rejected[2], StringComparison.Ordinal);
        Assert.Contains("price must be greater than 0", rejected[3], StringComparison.Ordinal);
        Assert.Contains("missing field symbol", rejected[7], StringComparison.Ordinal);
        Assert.Contains("\"value\": \"not json\"", rejected[0], StringComparison.Ordinal);
        Assert.Matches(@"invalid\s+14\n", stdout);
        Assert.Single(_folder.ReadLines("out/btc-price-moving.jsonl"));
    }

    [Fact]
    public void ByteOrderMark_AtTheStartOfTheFile_IsSkipped_AndCrLfLineEndsAreRead()
    {
        // What a Windows editor saves: a UTF-8 byte order mark, then lines ending in CR LF.
        string input = _folder.File("windows.jsonl");
        File.WriteAllText(input, "\uFEFF" + string.Join("\r\n", SmallInput) + "\r\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'{'], File.ReadAllBytes(input)[..4]);

        var (exitCode, stdout, _) = CliRunner.Run("pipeline", "--input", input, "--output-dir", _folder.File("out"), "--windows", "30s,1m");
        Assert.Equal(0, exitCode);
        Assert.Matches(@"invalid\s+0\n", stdout);
        Assert.Matches(@"accepted\s+5\n", stdout);
        Assert.Equal(
            """{"timestamp": "2026-11-24T10:00:00.000Z", "symbol": "BTCUSDT", "windows": [{"window": "30s", "avg_price": 100.5, "std_price": 0.0}, {"window": "1m", "avg_price": 100.5, "std_price": 0.0}]}""",
            _folder.ReadLines("out/btc-price-moving.jsonl")[0]);
    }

    [Fact]
    public void Utf16_AsWindowsPowerShellWritesIt_IsRead()
    {
        string input = _folder.File("powershell.jsonl");
        File.WriteAllText(input, string.Join("\r\n", SmallInput) + "\r\n", System.Text.Encoding.Unicode);
        Assert.Equal([0xFF, 0xFE, (byte)'{', 0], File.ReadAllBytes(input)[..4]);

        var (exitCode, stdout, _) = CliRunner.Run("pipeline", "--input", input, "--output-dir", _folder.File("out"), "--windows", "30s,1m");
        Assert.Equal(0, exitCode);
        Assert.Matches(@"invalid\s+0\n", stdout);
        Assert.Matches(@"accepted\s+5\n", stdout);
    }

    [Fact]
    public void ByteOrderMark_AfterTheStart_IsACharacterOfItsLine()
    {
        // Only a mark before the first line is an encoding marker; elsewhere it is U+FEFF, which no record starts with.
        string input = _folder.Write("in.jsonl", [SmallInput[0], "\uFEFF" + SmallInput[1]]);
        var (exitCode, stdout, _) = CliRunner.Run("pipeline", "--input", input, "--output-dir", _folder.File("out"));
        Assert.Equal(0, exitCode);
        Assert.Matches(@"accepted\s+1\n", stdout);
        Assert.Contains("\"value\": \"\\ufeff{", Assert.Single(_folder.ReadLines("out/btc-price-rejected.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void AJsonArrayOnOneLine_IsOneInvalidLine_QuotedByItsFirstKiB()
    {
        // A file of JSON instead of JSON Lines (pandas' to_json, for one): a single line of megabytes.
        string array = "[" + string.Join(", ", Enumerable.Repeat(SmallInput[0], 40_000)) + "]";
        string input = _folder.Write("array.json", [array, SmallInput[1]]);
        var (exitCode, stdout, _) = CliRunner.Run("pipeline", "--input", input, "--output-dir", _folder.File("out"));
        Assert.Equal(0, exitCode);
        Assert.Matches(@"lines read\s+2\n", stdout);
        Assert.Matches(@"invalid\s+1\n", stdout);
        Assert.Matches(@"accepted\s+1\n", stdout);
        string rejected = Assert.Single(_folder.ReadLines("out/btc-price-rejected.jsonl"));
        Assert.Contains($"line is longer than 1 MiB ({array.Length:N0} bytes; the value quoted is its first 1,024)", rejected, StringComparison.Ordinal);
        Assert.InRange(rejected.Length, 1_024, 2_048);
    }

    [SkippableTheory]
    [InlineData(PosixSignals.Interrupt)]
    [InlineData(PosixSignals.Terminate)]
    public async Task SigintOrSigterm_StopsAfterTheLinesRead_WithAllTheirResultsWritten(int signal)
    {
        // A test run started in the background by a non-interactive shell ignores SIGINT, and so does every process it starts.
        Skip.If(signal == PosixSignals.Interrupt && PosixSignals.InterruptIgnored(), "SIGINT is ignored in this test run (started in the background), so it cannot reach the pipeline");
        using Process pipeline = ChildCommand.Btc.Start(["pipeline", "--input", "-", "--output-dir", _folder.File("out"), "--windows", "30s,1m"], redirectInput: true);
        Task<string> stdout = pipeline.StandardOutput.ReadToEndAsync();
        Task<string> stderr = pipeline.StandardError.ReadToEndAsync();

        // A feed that sends its lines and then stays open: the reader hands them over before it waits for more.
        foreach (string line in SmallInput)
        {
            await pipeline.StandardInput.WriteLineAsync(line);
        }

        await pipeline.StandardInput.FlushAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.True(PosixSignals.Send(pipeline.Id, signal));
        if (!pipeline.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            pipeline.Kill(entireProcessTree: true);
            Assert.Fail($"btc pipeline did not stop after signal {signal}");
        }

        Assert.True(pipeline.ExitCode == 130, $"exit code {pipeline.ExitCode}\n{await stderr}");
        string summary = await stdout;
        Assert.Contains("interrupted before the end of the input: the results of the lines read are all written", summary, StringComparison.Ordinal);
        Assert.Matches(@"lines read\s+7\n", summary);

        // Everything pending was made final, as at the end of a file: the same results as the file gives.
        var (exitCode, _, _) = CliRunner.Run("pipeline", "--input", _folder.Write("in.jsonl", SmallInput), "--output-dir", _folder.File("expected"), "--windows", "30s,1m");
        Assert.Equal(0, exitCode);
        foreach (string file in Directory.GetFiles(_folder.File("expected")))
        {
            Assert.Equal(File.ReadAllLines(file), _folder.ReadLines(Path.Combine("out", Path.GetFileName(file))));
        }
    }

    [Fact]
    public void MissingInputOption_FailsWithAMessage()
    {
        var (exitCode, _, stderr) = CliRunner.Run("pipeline");
        Assert.Equal(BtcCommand.UsageError, exitCode);
        Assert.Contains("--input", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_FailsWithOneSentence()
    {
        var (exitCode, _, stderr) = CliRunner.Run("pipeline", "--input", _folder.File("nope.jsonl"), "--output-dir", _folder.File("out"));
        Assert.Equal(2, exitCode);
        Assert.Equal($"btc pipeline: The input file '{_folder.File("nope.jsonl")}' does not exist.", stderr.Trim());
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void AFolderAsInput_OrAFileAsOutputFolder_FailsWithOneSentence()
    {
        string input = _folder.Write("in.jsonl", SmallInput);
        var (exitCode, _, stderr) = CliRunner.Run("pipeline", "--input", _folder.Path, "--output-dir", _folder.File("out"));
        Assert.Equal(2, exitCode);
        Assert.Equal($"btc pipeline: '{_folder.Path}' is a folder; --input takes a file.", stderr.Trim());

        (exitCode, _, stderr) = CliRunner.Run("pipeline", "--input", input, "--output-dir", input);
        Assert.Equal(2, exitCode);
        Assert.Equal($"btc pipeline: '{input}' is a file; --output-dir takes a folder.", stderr.Trim());
        Assert.Equal(SmallInput, File.ReadAllLines(input));
    }

    [Fact]
    public void UnwritableOutputFolder_FailsWithOneSentence()
    {
        string input = _folder.Write("in.jsonl", SmallInput);
        string blocker = _folder.Write("a-file", ["x"]);
        var (exitCode, _, stderr) = CliRunner.Run("pipeline", "--input", input, "--output-dir", Path.Combine(blocker, "sub"));
        Assert.Equal(2, exitCode);
        Assert.StartsWith("btc pipeline: Cannot create the output folder", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [SkippableFact]
    public void AnInputThatFailsToRead_EndsWithOneSentence()
    {
        // Reading /proc/self/mem from its start fails with EIO: the first page of the address space is never mapped.
        Skip.IfNot(File.Exists("/proc/self/mem"), "needs Linux's /proc/self/mem for an input that fails to read");
        var (exitCode, stdout, stderr) = CliRunner.Run("pipeline", "--input", "/proc/self/mem", "--output-dir", _folder.File("out"));
        Assert.Equal(1, exitCode);
        Assert.Equal("btc pipeline: Reading the input failed: Input/output error : '/proc/self/mem'", stderr.Trim());
        Assert.Equal("", stdout);
    }

    [SkippableFact]
    public void AnOutputThatCannotBeWritten_EndsWithOneSentenceNamingIt()
    {
        // Outputs that are symbolic links are written through: this one leads to a device that is always full.
        Skip.IfNot(File.Exists("/dev/full"), "needs /dev/full for an output that cannot be written");
        string output = Directory.CreateDirectory(_folder.File("out")).FullName;
        File.CreateSymbolicLink(Path.Combine(output, PipelineOutputs.ZScoreFileName), "/dev/full");
        string input = Path.Combine(RepositoryPaths.Root, "samples", "data", "btc-price.jsonl");
        var (exitCode, stdout, stderr) = CliRunner.Run("pipeline", "--input", input, "--output-dir", output);
        Assert.Equal(1, exitCode);
        Assert.Equal($"btc pipeline: Writing an output file failed: No space left on device : '{Path.Combine(output, PipelineOutputs.ZScoreFileName)}'", stderr.Trim());
        Assert.Equal("", stdout);
    }

    [SkippableFact]
    public void AStandardOutputThatCannotBeWritten_EndsWithOneSentence()
    {
        Skip.IfNot(File.Exists("/dev/full"), "needs /dev/full for an output that cannot be written");
        using var full = new StreamWriter(new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1)) { AutoFlush = true };
        var error = new StringWriter();
        int exitCode = BtcCommand.Run(["pipeline", "--input", _folder.Write("in.jsonl", SmallInput), "--output-dir", _folder.File("out")], full, error);
        Assert.Equal(1, exitCode);
        Assert.StartsWith("btc pipeline: No space left on device", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.Equal(5, _folder.ReadLines("out/btc-price-zscore.jsonl").Length);
    }

    [Fact]
    public async Task FromALiveFeed_ResultsReachTheFilesWhileTheFeedIsQuiet()
    {
        using Process pipeline = ChildCommand.Btc.Start(["pipeline", "--input", "-", "--output-dir", _folder.File("out"), "--windows", "30s,1m"], redirectInput: true);
        Task<string> stdout = pipeline.StandardOutput.ReadToEndAsync();
        Task<string> stderr = pipeline.StandardError.ReadToEndAsync();
        try
        {
            foreach (string line in SmallInput)
            {
                await pipeline.StandardInput.WriteLineAsync(line);
            }

            await pipeline.StandardInput.FlushAsync();

            // The record at 10:00:30.300 made the four before 10:00:20.300 final; the feed stays open.
            string moving = _folder.File("out/btc-price-moving.jsonl");
            var waited = Stopwatch.StartNew();
            while (!(File.Exists(moving) && File.ReadAllLines(moving).Length == 4) && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }

            Assert.True(File.Exists(moving) && File.ReadAllLines(moving).Length == 4, "no moving records in the file while the feed was open");
            Assert.Equal(4, _folder.ReadLines("out/btc-price-zscore.jsonl").Length);
            Assert.Equal(2, _folder.ReadLines("out/btc-price-rejected.jsonl").Length);
            pipeline.StandardInput.Close();
            Assert.True(pipeline.WaitForExit(TimeSpan.FromSeconds(30)), "btc pipeline did not end with its input");
            Assert.True(pipeline.ExitCode == 0, await stderr);
            Assert.Matches(@"accepted\s+5\n", await stdout);
        }
        finally
        {
            if (!pipeline.HasExited)
            {
                pipeline.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("--allowed-lateness", "ten seconds", "--allowed-lateness: 'ten seconds' is not a duration")]
    [InlineData("--allowed-lateness", "-5s", "is not a duration")]
    [InlineData("--horizon", "20", "--horizon: '20' is not a duration")]
    [InlineData("--horizon", "0s", "--horizon must be longer than 0.")]
    [InlineData("--horizon", "1001h", "--horizon: '1001h' is longer than 1000h, the longest duration btc takes.")]
    [InlineData("--windows", "30s,30s", "--windows: Window lengths must be distinct.")]
    [InlineData("--windows", "0s,1m", "--windows: Window lengths must be longer than 0.\n")]
    public void BadOptionValues_FailWithAMessage(string option, string value, string message)
    {
        string input = _folder.Write("in.jsonl", SmallInput);
        var (exitCode, _, stderr) = CliRunner.Run("pipeline", "--input", input, "--output-dir", _folder.File("out"), option, value);
        Assert.Equal(BtcCommand.UsageError, exitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void LatenessOption_ChangesWhatIsLate()
    {
        string input = _folder.Write("in.jsonl", SmallInput);
        var (exitCode, stdout, _) = CliRunner.Run("pipeline", "--input", input, "--output-dir", _folder.File("out"), "--allowed-lateness", "30s");
        Assert.Equal(0, exitCode);
        Assert.Matches(@"late\s+0\n", stdout);
        Assert.Matches(@"accepted\s+6\n", stdout);
    }

    [Fact]
    public void StandardInput_IsReadWithDash()
    {
        string output = _folder.File("out");
        var (exitCode, stdout, stderr) = CliRunner.RunProcess(string.Join("\n", SmallInput) + "\n", "pipeline", "--input", "-", "--output-dir", output);
        Assert.True(exitCode == 0, stderr);
        Assert.Matches(@"accepted\s+5\n", stdout);
        Assert.Equal(5, _folder.ReadLines("out/btc-price-zscore.jsonl").Length);
    }

    [Fact]
    public void Help_ShowsAnExample()
    {
        var (exitCode, stdout, _) = CliRunner.Run("pipeline", "--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("./btc pipeline --input", stdout, StringComparison.Ordinal);
        Assert.Contains("--allowed-lateness", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pipeline", "--allowed-lateness <DURATION>", "[default: 10s]")]
    [InlineData("pipeline", "--windows <LIST>", "[default: 30s,1m,5m,15m,30m,1h]")]
    [InlineData("moving", "--commit-interval <DURATION>", "[default: 1s]")]
    [InlineData("bonus", "--horizon <DURATION>", "[default: 20s]")]
    [InlineData("extract", "--interval <DURATION>", "[default: 100ms]")]
    [InlineData("demo", "--request-timeout <DURATION>", "[default: 2s]")]
    public void Help_ShowsDefaultsTheWayTheyAreTyped(string command, string option, string shown)
    {
        var (exitCode, stdout, _) = CliRunner.Run(command, "--help");
        Assert.Equal(0, exitCode);
        string line = stdout.Split('\n').Single(l => l.Contains(option, StringComparison.Ordinal));
        Assert.EndsWith(shown, line.TrimEnd(), StringComparison.Ordinal);
        // TimeSpan's own form, 00:00:10, is not a duration the options take.
        Assert.DoesNotMatch(@"default: [0-9]{2}:", stdout);
    }
}
