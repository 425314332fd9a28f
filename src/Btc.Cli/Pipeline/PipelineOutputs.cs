using System.Buffers;
using System.Runtime.ExceptionServices;
using Btc.Cli.Kafka;
using Btc.Cli.Output;
using Btc.Rx.Records;
using Btc.Rx.Serialization;

namespace Btc.Cli.Pipeline;

/// <summary>The files one pipeline run writes: four topics on writer threads, the rejected records inline.</summary>
internal sealed class PipelineOutputs : IDisposable
{
    // Each file holds exactly one topic's values, so it is named after the topic.
    public const string MovingFileName = Topics.Moving + ".jsonl";
    public const string ZScoreFileName = Topics.ZScore + ".jsonl";
    public const string HigherFileName = Topics.Higher + ".jsonl";
    public const string LowerFileName = Topics.Lower + ".jsonl";
    public const string RejectedFileName = Topics.Rejected + ".jsonl";

    private readonly WriterThread _movingThread = new("btc writer moving");
    private readonly WriterThread _otherThread = new("btc writer other");

    public PipelineOutputs(string directory, string stage)
    {
        Directory.CreateDirectory(directory);
        // Two writer threads beside the one running the operators: the moving topic (twelve numbers
        // a record) on one, the other three on the second. More threads only contend for two cores.
        Moving = new BackgroundJsonLinesWriter<MovingStatistics>(Path.Combine(directory, MovingFileName), _movingThread, TopicJson.WriteMoving);
        ZScores = new BackgroundJsonLinesWriter<ZScores>(Path.Combine(directory, ZScoreFileName), _otherThread, TopicJson.WriteZScores);
        Higher = new BackgroundJsonLinesWriter<LookAheadResult>(Path.Combine(directory, HigherFileName), _otherThread, WriteLookAhead);
        Lower = new BackgroundJsonLinesWriter<LookAheadResult>(Path.Combine(directory, LowerFileName), _otherThread, WriteLookAhead);
        RejectedFile = new JsonLinesFile(Path.Combine(directory, RejectedFileName));
        Rejected = new RejectedRecordWriter(RejectedFile, stage);
    }

    public BackgroundJsonLinesWriter<MovingStatistics> Moving { get; }

    public BackgroundJsonLinesWriter<ZScores> ZScores { get; }

    public BackgroundJsonLinesWriter<LookAheadResult> Higher { get; }

    public BackgroundJsonLinesWriter<LookAheadResult> Lower { get; }

    public JsonLinesFile RejectedFile { get; }

    public RejectedRecordWriter Rejected { get; }

    public void AddLookAhead(LookAheadResult result) => (result.Direction == LookAheadDirection.Higher ? Higher : Lower).Add(result);

    private bool _disposed;

    /// <summary>
    /// Sends every record added so far on to its file: the four topics' on their writer threads (in
    /// the order they were posted, so soon after this returns), the rejected ones here.
    /// </summary>
    public void Flush() => EveryStep(Moving.Flush, ZScores.Flush, Higher.Flush, Lower.Flush, RejectedFile.Flush);

    /// <summary>Writes everything still buffered and closes the files.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        EveryStep(
            Flush,
            _movingThread.Dispose, // runs every job posted, then stops the thread
            _otherThread.Dispose,
            Moving.Dispose,
            ZScores.Dispose,
            Higher.Dispose,
            Lower.Dispose,
            RejectedFile.Dispose);
    }

    public IReadOnlyList<(string File, long Records)> Counts() =>
    [
        (Moving.Path, Moving.Records), (ZScores.Path, ZScores.Records), (Higher.Path, Higher.Records),
        (Lower.Path, Lower.Records), (RejectedFile.Path, RejectedFile.Records),
    ];

    // Runs every step even when one fails (a full disk fails them one after the other), so that each
    // file gets what it can and is closed and each thread stopped; then throws the first failure.
    private static void EveryStep(params Action[] steps)
    {
        ExceptionDispatchInfo? first = null;
        foreach (Action step in steps)
        {
            try
            {
                step();
            }
            catch (IOException e)
            {
                first ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        first?.Throw();
    }

    private static void WriteLookAhead(IBufferWriter<byte> output, LookAheadResult result) => TopicJson.WriteLookAhead(output, result);
}
