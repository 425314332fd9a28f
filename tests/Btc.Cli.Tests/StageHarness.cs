using System.Diagnostics;
using System.Text;
using Btc.Cli.Mongo;
using Btc.Cli.Stages;
using Btc.Cli.Tests.MongoWire;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Tests.Support;
using Btc.Rx.Time;
using MongoDB.Bson;
using MongoDB.Driver;
using Btc.Cli.Kafka;
using Btc.Cli.Pipeline;

namespace Btc.Cli.Tests;

/// <summary>
/// Runs the Kafka stages for tests: in this process (stopped by cancellation, as Ctrl+C does) or as
/// child processes (stopped by SIGKILL, as a crash does), over one mock cluster, and knows what
/// <c>btc pipeline</c> writes for the same input.
/// </summary>
internal sealed class StageHarness : IDisposable
{
    public static readonly string[] Stages = ["moving", "zscore", "bonus", "load"];

    public static readonly string[] OutputTopics = [Topics.Moving, Topics.ZScore, Topics.Higher, Topics.Lower];

    private readonly List<(CancellationTokenSource Stop, Task<int> Run, StringWriter Error)> _inProcess = [];
    private readonly Dictionary<string, Process> _processes = [];
    private readonly Dictionary<string, System.Text.StringBuilder> _logs = [];

    /// <summary>
    /// Over the development broker (one partition a topic, but <paramref name="movingPartitions"/> for
    /// btc-price-moving) and the MongoDB test server, or over the given real servers.
    /// </summary>
    public StageHarness(string? bootstrapServers = null, string? mongoUri = null, int movingPartitions = 1, int pricePartitions = 1)
    {
        if (bootstrapServers is null)
        {
            Cluster = new MockCluster();
            foreach (string topic in (string[])[.. Topics.All, Topics.IdleAdvances])
            {
                Cluster.CreateTopic(topic, partitions: topic == Topics.Moving ? movingPartitions : topic == Topics.Price ? pricePartitions : 1);
            }
        }

        Mongo = mongoUri is null ? new MongoWireServer() : null;
        BootstrapServers = bootstrapServers ?? Cluster!.BootstrapServers;
        MongoUri = mongoUri ?? Mongo!.ConnectionString;
    }

    public string BootstrapServers { get; }

    /// <summary>The MongoDB the load stage writes to and the checks read from; a test may give it other client options.</summary>
    public string MongoUri { get; set; }

    /// <summary>The development broker, when no real one was given.</summary>
    public MockCluster? Cluster { get; }

    /// <summary>The MongoDB test server, when no real one was given.</summary>
    public MongoWireServer? Mongo { get; }

    public TempFolder Folder { get; } = new();

    /// <summary>
    /// How long an input must be quiet before its results are made final; longer than any stall a test
    /// causes, and than one the machine causes: under the whole suite a restarted stage's neighbours
    /// can hold extract back for over a second, and an idle timeout inside such a stall finalizes the
    /// input by design (bonus then counts the next 20 s of prices as late).
    /// </summary>
    public string IdleTimeout { get; set; } = "5s";

    /// <summary>How often the stages commit.</summary>
    public string CommitInterval { get; set; } = "200ms";

    /// <summary>The build of the tool <see cref="StartProcess"/> runs.</summary>
    public ChildCommand Executable { get; init; } = ChildCommand.Btc;

    public string[] StageArguments(string stage) =>
        [stage, "--bootstrap-servers", BootstrapServers, "--idle-timeout", IdleTimeout, "--commit-interval", CommitInterval,
            .. stage == "load" ? (string[])["--mongo-uri", MongoUri, "--batch-size", "500"] : []];

    /// <summary>Starts moving, zscore, bonus and load in this process.</summary>
    public void StartAllInProcess()
    {
        foreach (string stage in Stages)
        {
            StartInProcess(stage);
        }
    }

    public void StartInProcess(string stage)
    {
        var stop = new CancellationTokenSource();
        var error = new StringWriter();
        // Its summary line (standard output) and its log (standard error), in one place.
        TextWriter both = TextWriter.Synchronized(error);
        Task<int> run = Task.Run(() => BtcCommand.Create().Parse(StageArguments(stage)).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = both, Error = both }, stop.Token));
        _inProcess.Add((stop, run, error));
    }

    /// <summary>Everything the in-process stages logged, and their summary lines.</summary>
    public string InProcessLogs() => string.Concat(_inProcess.Select(s => s.Error.ToString()));

    /// <summary>Stops the in-process stages as Ctrl+C does and checks each exited 0.</summary>
    public void StopInProcess()
    {
        foreach (var (stop, run, error) in _inProcess)
        {
            stop.Cancel();
            Assert.True(run.Wait(TimeSpan.FromSeconds(30)), "a stage did not stop");
            Assert.True(run.Result == 0, error.ToString());
        }
    }

    public void StartProcess(string stage)
    {
        Process process = Executable.Start(StageArguments(stage));
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (log)
            {
                log.AppendLine(line.Data);
            }
        };
        _logs[stage] = log;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes[stage] = process;
    }

    private readonly List<string> _notes = [];

    /// <summary>Remembers what the test did, for the message of a later failure.</summary>
    public void Note(string note) => _notes.Add(note);

    /// <summary>What the test did and what the stage's current process has logged so far.</summary>
    public string Log(string stage)
    {
        lock (_logs[stage])
        {
            return string.Join("\n", _notes) + "\n" + _logs[stage];
        }
    }

    /// <summary>Waits until <paramref name="topic"/> holds at least <paramref name="count"/> records.</summary>
    public Task WaitForCount(string topic, long count, TimeSpan timeout) =>
        WaitUntil(() => TopicReader.Count(BootstrapServers, topic) >= count, timeout, $"{topic} has fewer than {count} records after {timeout}");

    /// <summary>Waits until the group has committed <paramref name="offset"/> for partition 0 of <paramref name="topic"/>.</summary>
    public Task WaitForCommit(string group, string topic, long offset, TimeSpan timeout) =>
        WaitUntil(() => TopicReader.Committed(BootstrapServers, group, topic) == offset, timeout, $"{group} has not committed offset {offset} of {topic} after {timeout}");

    /// <summary>Checks <paramref name="condition"/> every 50 ms until it holds; fails with <paramref name="failure"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, failure);
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the stage's process with SIGKILL, as a crash would, and waits for it to be gone.</summary>
    public void Kill(string stage)
    {
        Process process = _processes[stage];
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
        _processes.Remove(stage);
    }

    public void Extract(string input, string pace)
    {
        var (exitCode, _, stderr) = CliRunner.Run("extract", "--source", "replay", "--input", input, "--pace", pace, "--bootstrap-servers", BootstrapServers);
        Assert.True(exitCode == 0, stderr);
    }

    /// <summary>
    /// The first lines of the bundled sample (6,000 lines, 5 minutes of two symbols, by default): small
    /// enough that the development broker (~5 MB a partition) keeps every topic whole for reading back.
    /// </summary>
    public string SampleHead(int lines = 6_000) =>
        Folder.Write("in.jsonl", File.ReadLines(Path.Combine(RepositoryPaths.Root, "samples", "data", "btc-price.jsonl")).Take(lines));

    /// <summary>
    /// Runs extract (replay, full speed) → moving → zscore → bonus → load in this process over the
    /// sample's head and checks every topic and MongoDB against what btc pipeline writes for it.
    /// </summary>
    public void AssertChainGivesPipelineRecords(TimeSpan outputsWithin, TimeSpan mongoWithin)
    {
        string input = SampleHead();
        Dictionary<string, string[]> expected = PipelineOutputs(input);
        StartAllInProcess();
        Extract(input, "max");
        WaitForOutputs(expected, outputsWithin);
        AssertMongoHolds(expected[Topics.ZScore], mongoWithin);
        StopInProcess();
        AssertTopicsHold(expected, repeatsAllowed: false);
    }

    /// <summary>What btc pipeline writes for the same input, per topic.</summary>
    public Dictionary<string, string[]> PipelineOutputs(string input)
    {
        string directory = Folder.File("pipeline");
        using (FileStream stream = File.OpenRead(input))
        {
            PipelineService.Run(new PipelineOptions { Input = input, OutputDirectory = directory }, stream);
        }

        return OutputTopics.ToDictionary(t => t, t => File.ReadAllLines(Path.Combine(directory, t + ".jsonl")));
    }

    /// <summary>
    /// What btc pipeline writes for btc-price in the order the broker holds it, after checking that it
    /// holds every input price once. In one run of five, around an outage, the stages consumed every
    /// price yet saw one 10 s behind a newer one that the file does not have behind it, so the topic's
    /// order differed from the file's (most likely the development broker storing a retried batch after
    /// a later one); the stages' contract is the pipeline's records for the order they consumed.
    /// <paramref name="expected"/> is returned when that order is the file's.
    /// </summary>
    public Dictionary<string, string[]> PipelineOutputsOfPublishedPrices(Dictionary<string, string[]> expected, string input)
    {
        List<string> published = TopicReader.ReadAll(BootstrapServers, Topics.Price);
        var parser = new PriceRecordParser();
        Assert.Equal(File.ReadLines(input).Select(line => PriceFields(parser, line)).Order(StringComparer.Ordinal), published.Select(line => PriceFields(parser, line)).Order(StringComparer.Ordinal));
        string fromBroker = Folder.Write("published.jsonl", published);
        Dictionary<string, string[]> outputs = PipelineOutputs(fromBroker);
        if (!outputs.All(o => o.Value.SequenceEqual(expected[o.Key])))
        {
            Note("btc-price is not in the file's order; the stages are compared with the pipeline over the broker's order");
        }

        return outputs;
    }

    // A price's fields, whatever the spelling of its JSON, as the stages' own parser reads them.
    private static string PriceFields(PriceRecordParser parser, string json)
    {
        Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(json), out PriceTick tick, out string? reason), reason);
        return $"{tick.Symbol} {tick.Price:R} {tick.Timestamp}";
    }

    /// <summary>Waits until MongoDB holds a document for every expected z-score in every window, then checks each one.</summary>
    public void AssertMongoHolds(string[] zscoreLines, TimeSpan timeout)
    {
        var reader = new TopicJsonReader();
        var expected = new Dictionary<string, List<string>>();
        foreach (string line in zscoreLines)
        {
            Assert.True(reader.TryReadZScores(Encoding.UTF8.GetBytes(line), out ZScores? zscores));
            for (int i = 0; i < zscores!.Windows.Count; i++)
            {
                string collection = ZScoreDocuments.CollectionName(zscores.Windows.Name(i));
                (expected.TryGetValue(collection, out List<string>? list) ? list : expected[collection] = []).Add(
                    $"{zscores.Symbol} {EventTime.Format(zscores.Timestamp)} {zscores.Windows.Name(i)} {zscores.Value(i):R}");
            }
        }

        // Read back through the driver, as a user would, from the test server or a real MongoDB.
        IMongoDatabase database = new MongoClient(MongoUri).GetDatabase("btc");
        List<BsonDocument> Documents(string collection) => database.GetCollection<BsonDocument>(collection).Find(FilterDefinition<BsonDocument>.Empty).ToList();
        var clock = Stopwatch.StartNew();
        while (expected.Any(e => Documents(e.Key).Count < e.Value.Count))
        {
            Assert.True(clock.Elapsed < timeout, "MongoDB incomplete: " + string.Join(", ", expected.Select(e => $"{e.Key} {Documents(e.Key).Count}/{e.Value.Count}")) + "\n" + InProcessLogs() + LogTails());
            Thread.Sleep(200);
        }

        foreach (var (collection, documents) in expected)
        {
            List<string> actual = [.. Documents(collection).Select(d =>
            {
                Assert.Equal(new BsonDocument { { "symbol", d["symbol"] }, { "timestamp", d["timestamp"] } }, d["_id"]);
                return $"{d["symbol"].AsString} {ZScoreDocuments.Timestamp(d)} {d["window"].AsString} {d["zscore_price"].AsDouble:R}";
            })];
            Assert.Equal(documents.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
            Assert.Contains("timestamp_1", database.GetCollection<BsonDocument>(collection).Indexes.List().ToList().Select(i => i["name"].AsString));
        }
    }

    /// <summary>
    /// Each output topic holds exactly the expected records in order; with <paramref name="repeatsAllowed"/>,
    /// once repeats are removed, and no key with two different values.
    /// </summary>
    public void AssertTopicsHold(Dictionary<string, string[]> expected, bool repeatsAllowed)
    {
        foreach (string topic in OutputTopics)
        {
            List<string> actual = TopicReader.ReadAll(BootstrapServers, topic);
            if (!repeatsAllowed)
            {
                Assert.Equal(expected[topic], actual);
                continue;
            }

            Assert.Equal(expected[topic], actual.Distinct().ToArray());
            Assert.Equal(actual.Distinct().Count(), actual.Select(KeyOf).Distinct().Count());
        }
    }

    // Every output value begins with its timestamp and symbol, the record's key.
    private static string KeyOf(string value) => value[..value.IndexOf(", \"", value.IndexOf("symbol", StringComparison.Ordinal), StringComparison.Ordinal)];

    /// <summary>Waits until every output topic holds at least the expected number of records.</summary>
    public void WaitForOutputs(Dictionary<string, string[]> expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (expected.Any(e => TopicReader.Count(BootstrapServers, e.Key) < e.Value.Length))
        {
            Assert.True(clock.Elapsed < timeout, "outputs incomplete: " + string.Join(", ", expected.Keys.Select(t => $"{t} {TopicReader.Count(BootstrapServers, t)}/{expected[t].Length}")) + "\n" + InProcessLogs() + LogTails() + RejectedTail());
            Thread.Sleep(200);
        }
    }

    // The stages' rejected records (late and duplicate prices with the watermark at the time), for a
    // failure message: a record missing from the outputs is usually one rejected here that should not be.
    private string RejectedTail()
    {
        List<string> rejected = TopicReader.ReadAll(BootstrapServers, Topics.Rejected);
        return $"\n--- {Topics.Rejected} ({rejected.Count} records, last 40)\n" + string.Join("\n", rejected.TakeLast(40));
    }

    // The last lines each stage process logged, for a failure message: what a stage did last says why.
    private string LogTails() => string.Concat(_logs.Keys.Select(stage =>
    {
        string[] lines = Log(stage).Split('\n');
        return $"\n--- {stage} (last lines)\n" + string.Join("\n", lines[Math.Max(0, lines.Length - 12)..]);
    }));

    public void Dispose()
    {
        foreach (var (stop, run, _) in _inProcess)
        {
            stop.Cancel();
            run.Wait(TimeSpan.FromSeconds(30));
            stop.Dispose();
        }

        foreach (Process process in _processes.Values)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }

        Cluster?.Dispose();
        Mongo?.Dispose();
        Folder.Dispose();
    }
}
