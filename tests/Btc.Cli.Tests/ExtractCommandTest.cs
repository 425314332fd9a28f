using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Btc.Cli.Demo;
using Btc.Cli.Extract;
using Btc.Cli.Kafka;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Serialization;
using Btc.Rx.Tests.Support;

namespace Btc.Cli.Tests;

public class ExtractCommandTest : IDisposable
{
    private readonly MockCluster _cluster = new();
    private readonly TempFolder _folder = new();

    public ExtractCommandTest()
    {
        _cluster.CreateTopic(Topics.Price, partitions: 1);
        _cluster.CreateTopic(Topics.Rejected, partitions: 1);
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _folder.Dispose();
    }

    [SkippableFact]
    public async Task Replay_StoppedBySigterm_WhileWaitingForItsInput_DeliversWhatItReadAndExitsZero()
    {
        // A replay reads at full speed without ever waiting on a timer; before the pipe's writer ends,
        // it waits for lines inside its first call. SIGTERM there must still stop it as Ctrl+C does.
        Skip.IfNot(OperatingSystem.IsLinux(), "a named pipe made with mkfifo");
        string fifo = _folder.File("prices.fifo");
        using (Process mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        using Process extract = ChildCommand.Btc.Start(["extract", "--source", "replay", "--input", fifo, "--bootstrap-servers", _cluster.BootstrapServers]);
        Task<string> stdout = extract.StandardOutput.ReadToEndAsync();
        Task<string> stderr = extract.StandardError.ReadToEndAsync();
        string[] lines = [.. File.ReadLines(Path.Combine(RepositoryPaths.Root, "samples", "data", "btc-price.jsonl")).Take(3)];

        // Opening a pipe to write waits for its reader: should extract never open it, a reader of our
        // own lets the waiting open return, and the test fails instead of hanging.
        Task<StreamWriter> opening = Task.Run(() => new StreamWriter(fifo));
        if (await Task.WhenAny(opening, Task.Delay(TimeSpan.FromSeconds(60))) != opening)
        {
            extract.Kill(entireProcessTree: true);
            using (new FileStream(fifo, FileMode.Open, FileAccess.Read))
            {
                (await opening).Dispose();
            }

            Assert.Fail("extract did not open its input: " + await stderr);
        }

        await using (StreamWriter writer = await opening)
        {
            foreach (string line in lines)
            {
                await writer.WriteLineAsync(line);
            }

            await writer.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.True(PosixSignals.Send(extract.Id, PosixSignals.Terminate));
            if (!extract.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                extract.Kill(entireProcessTree: true);
                Assert.Fail("extract did not stop after SIGTERM");
            }
        }

        Assert.True(extract.ExitCode == 0, $"exit code {extract.ExitCode}\n{await stderr}");
        Assert.Contains("published 3 records to btc-price", await stdout, StringComparison.Ordinal);
        Assert.Equal(lines, KafkaTestClient.ConsumeMessages(_cluster.BootstrapServers, Topics.Price, "check", 3).Select(m => m.Value));
    }

    [Fact]
    public void Replay_PublishesEveryValidLineInFileOrder_KeyedBySymbol_AndInvalidOnesToRejected()
    {
        string input = Path.Combine(RepositoryPaths.Root, "samples", "data", "btc-price.jsonl");
        var (exitCode, stdout, stderr) = CliRunner.Run("extract", "--source", "replay", "--input", input, "--bootstrap-servers", _cluster.BootstrapServers);
        Assert.True(exitCode == 0, stderr);

        var parser = new PriceRecordParser();
        var expected = new List<(string, string)>();
        int invalid = 0;
        foreach (string line in File.ReadLines(input))
        {
            if (parser.TryParse(Encoding.UTF8.GetBytes(line), out PriceTick tick, out _))
            {
                expected.Add((tick.Symbol, TopicJson.ToString(w => TopicJson.WritePrice(w, tick))));
            }
            else
            {
                invalid++;
            }
        }

        Assert.Equal(expected, KafkaTestClient.ConsumeMessages(_cluster.BootstrapServers, Topics.Price, "check", expected.Count));
        List<string> rejected = KafkaTestClient.Consume(_cluster.BootstrapServers, Topics.Rejected, "check-rejected", invalid);
        Assert.Equal(invalid, rejected.Count);
        Assert.All(rejected, r => Assert.StartsWith("""{"stage": "extract", "reason": "invalid", """, r, StringComparison.Ordinal));
        Assert.Contains($"published {expected.Count:N0} records to btc-price, {invalid} invalid", stdout, StringComparison.Ordinal);
        Assert.Contains("bootstrap.servers=" + _cluster.BootstrapServers, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthetic_OneRecordPerSymbolPerGridPoint()
    {
        var (exitCode, _, stderr) = CliRunner.Run("extract", "--source", "synthetic", "--symbols", "3", "--duration", "1500ms", "--rate", "10", "--bootstrap-servers", _cluster.BootstrapServers);
        Assert.True(exitCode == 0, stderr);
        List<(string Key, string Value)> records = KafkaTestClient.ConsumeMessages(_cluster.BootstrapServers, Topics.Price, "check", 0, TimeSpan.FromSeconds(5));
        Assert.InRange(records.Count, 3 * 5, 3 * 17);
        var parser = new PriceRecordParser();
        var seen = new HashSet<(string, long)>();
        foreach (var (key, value) in records)
        {
            Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(value), out PriceTick tick, out string? reason), reason);
            Assert.Equal(key, tick.Symbol);
            Assert.Matches("^SYM000[123]USDT$", key);
            Assert.Equal(0, tick.Timestamp % 100);
            Assert.True(seen.Add((tick.Symbol, tick.Timestamp)), $"{key} twice at {tick.Timestamp}");
        }
    }

    [Fact]
    public async Task Binance_PublishesPolledPrices_AndInvalidAnswersToRejected()
    {
        await using var binance = new Binance.FakeBinance();
        // Three answers without a number: the first to the check of the symbols, two to polls.
        binance.Fail(Binance.BinanceTrouble.PriceNotANumber, 3);
        var (exitCode, stdout, stderr) = CliRunner.Run("extract", "--symbols", "BTCUSDT,ETHUSDT", "--duration", "2s", "--binance-url", binance.Url, "--bootstrap-servers", _cluster.BootstrapServers);
        Assert.True(exitCode == 0, stderr);
        List<string> records = TopicReader.ReadAll(_cluster.BootstrapServers, Topics.Price);
        Assert.True(records.Count >= 2, stdout + stderr);
        Assert.Equal(records.Count, records.Distinct().Count());
        Assert.All(records, r => Assert.Matches("""^\{"symbol": "(BTCUSDT", "price": 104235.12|ETHUSDT", "price": 3500.25), "timestamp": "[-0-9T:]+\.[0-9]00Z"\}$""", r));
        List<string> rejected = KafkaTestClient.Consume(_cluster.BootstrapServers, Topics.Rejected, "check-rejected", 4);
        Assert.Equal(4, rejected.Count);
        Assert.All(rejected, r => Assert.Contains("the price abc is not a finite number greater than 0", r, StringComparison.Ordinal));
        Assert.Contains("binance: ", stderr, StringComparison.Ordinal);
        Assert.Contains($"published {records.Count:N0} records to btc-price, 4 invalid", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binance_SymbolsInLowerCaseOrTwice_AreTheSymbols_ASymbolBinanceDoesNotList_IsAUsageError()
    {
        await using var binance = new Binance.FakeBinance();
        var (exitCode, _, stderr) = CliRunner.Run("extract", "--symbols", "btcusdt,ETHUSDT,BTCUSDT", "--duration", "1s", "--binance-url", binance.Url, "--bootstrap-servers", _cluster.BootstrapServers);
        Assert.True(exitCode == 0, stderr);
        Assert.Equal(["BTCUSDT", "ETHUSDT"], TopicReader.ReadAll(_cluster.BootstrapServers, Topics.Price).Select(r => r[12..19]).Distinct().Order(StringComparer.Ordinal));

        (exitCode, string stdout, stderr) = CliRunner.Run("extract", "--symbols", "BTCUSDT,DOGEUSDC", "--duration", "1s", "--binance-url", binance.Url, "--bootstrap-servers", _cluster.BootstrapServers);
        Assert.Equal(BtcCommand.UsageError, exitCode);
        Assert.Contains($"btc extract: Binance at {binance.Url} does not list DOGEUSDC (it answered \"Invalid symbol.\"); --symbols takes symbols as Binance lists them, such as BTCUSDT,ETHUSDT.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void UndeliverableRecords_AreReported_AndTheExitCodeIsNonZero()
    {
        string input = _folder.Write("in.jsonl", ["""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.000Z"}"""]);
        var (exitCode, _, stderr) = CliRunner.Run("extract", "--source", "replay", "--input", input, "--bootstrap-servers", "127.0.0.1:1",
            "--kafka-config", "message.timeout.ms=1500", "--kafka-config", "sasl.password=hunter2");
        Assert.Equal(1, exitCode);
        Assert.Contains("could not be delivered", stderr, StringComparison.Ordinal);
        Assert.Contains("sasl.password=***", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AFinalFlushThatWaits_SaysWhatItWaitsFor()
    {
        // Nothing answers on port 1: the records wait for the client's delivery timeout, here just past the reminder.
        string input = _folder.Write("in.jsonl", ["""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.000Z"}"""]);
        int timeoutMs = (int)ExtractService.FlushReminderDelay.TotalMilliseconds + 1500;
        var (exitCode, _, stderr) = CliRunner.Run("extract", "--source", "replay", "--input", input, "--bootstrap-servers", "127.0.0.1:1",
            "--kafka-config", $"message.timeout.ms={timeoutMs}");
        Assert.Equal(1, exitCode);
        Assert.Contains("still waiting for Kafka to take the records published; the client gives up on them after message.timeout.ms", stderr, StringComparison.Ordinal);
        Assert.Contains("1 records could not be delivered", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Replay_AnInputThatFailsToRead_IsReportedInOneLine_AndTheExitCodeIsOne()
    {
        // Reading /proc/self/mem from its start fails with EIO: the first page of the address space is never mapped.
        Skip.IfNot(File.Exists("/proc/self/mem"), "needs Linux's /proc/self/mem for an input that fails to read");
        var (exitCode, stdout, stderr) = CliRunner.Run("extract", "--source", "replay", "--input", "/proc/self/mem", "--bootstrap-servers", _cluster.BootstrapServers);
        Assert.Equal(1, exitCode);
        Assert.Contains("error extract: Reading the input failed: Input/output error : '/proc/self/mem'\n", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.StartsWith("published 0 records to btc-price, 0 invalid", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--source", "replay" }, "--source replay needs --input FILE.")]
    [InlineData(new[] { "--source", "replay", "--input", "/no/such/file" }, "does not exist")]
    [InlineData(new[] { "--source", "replay", "--input", "/" }, "'/' is a folder; --input takes a file.")]
    [InlineData(new[] { "--source", "nowhere" }, "nowhere")]
    [InlineData(new[] { "--binance-url", "not a url" }, "--binance-url needs an absolute URL")]
    [InlineData(new[] { "--interval", "0ms" }, "--interval must be longer than 0")]
    [InlineData(new[] { "--rate", "0" }, "--rate must be from 0.001 to 1000 a second.")]
    [InlineData(new[] { "--source", "synthetic", "--rate", "0.0001" }, "--rate must be from 0.001 to 1000 a second.")]
    [InlineData(new[] { "--source", "binance-ws", "--duration", "2000h" }, "--duration: '2000h' is longer than 1000h, the longest duration btc takes.")]
    [InlineData(new[] { "--interval", "1001h" }, "--interval: '1001h' is longer than 1000h, the longest duration btc takes.")]
    [InlineData(new[] { "--request-timeout", "5000h" }, "--request-timeout: '5000h' is longer than 1000h")]
    [InlineData(new[] { "--pace", "fast" }, "--pace takes max, realtime or a speed-up")]
    [InlineData(new[] { "--duration", "soon" }, "--duration: 'soon' is not a positive duration")]
    [InlineData(new[] { "--symbols", "," }, "--symbols needs at least one symbol")]
    [InlineData(new[] { "--source", "synthetic", "--symbols", "0" }, "--symbols needs at least one symbol, or a count of generated ones from 1 to 100,000.")]
    [InlineData(new[] { "--source", "synthetic", "--symbols", "100000000000" }, "a count of generated ones from 1 to 100,000.")]
    [InlineData(new[] { "--kafka-config", "nonsense" }, "--kafka-config takes key=value")]
    public void BadArguments_FailWithAMessage(string[] args, string message)
    {
        var (exitCode, _, stderr) = CliRunner.Run(["extract", .. args, "--bootstrap-servers", _cluster.BootstrapServers]);
        Assert.Equal(BtcCommand.UsageError, exitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void KafkaConfigFile_IsRead_CommandLineSettingsWin_AndSecretsStayRedacted()
    {
        string properties = _folder.Write("client.properties", ["# a comment", "message.timeout.ms=1500", "sasl.password=from-file-secret", "client.id=from-file"]);
        string input = _folder.Write("in.jsonl", ["""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.000Z"}"""]);
        var (exitCode, _, stderr) = CliRunner.Run("extract", "--source", "replay", "--input", input, "--bootstrap-servers", "127.0.0.1:1",
            "--kafka-config-file", properties, "--kafka-config", "client.id=from-command-line");
        Assert.Equal(1, exitCode);
        Assert.Contains("message.timeout.ms=1500", stderr, StringComparison.Ordinal);
        Assert.Contains("client.id=from-command-line", stderr, StringComparison.Ordinal);
        Assert.Contains("sasl.password=***", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("from-file-secret", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BootstrapServers_ComeFromTheEnvironmentWhenNotGiven()
    {
        Environment.SetEnvironmentVariable(KafkaSettings.BootstrapEnvironmentVariable, _cluster.BootstrapServers);
        try
        {
            string input = _folder.Write("in.jsonl", ["""{"symbol": "ETHUSDT", "price": 3500.5, "timestamp": "2026-11-24T10:00:00.000Z"}"""]);
            var (exitCode, _, stderr) = CliRunner.Run("extract", "--source", "replay", "--input", input);
            Assert.True(exitCode == 0, stderr);
            var message = KafkaTestClient.ConsumeMessages(_cluster.BootstrapServers, Topics.Price, "env", 1).Single();
            Assert.Equal(3500.5, JsonDocument.Parse(message.Value).RootElement.GetProperty("price").GetDouble());
        }
        finally
        {
            Environment.SetEnvironmentVariable(KafkaSettings.BootstrapEnvironmentVariable, null);
        }
    }
}
