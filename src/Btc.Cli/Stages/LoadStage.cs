using Btc.Cli.Kafka;
using Btc.Cli.Mongo;
using Btc.Cli.Output;
using Btc.Rx.Records;
using Confluent.Kafka;

namespace Btc.Cli.Stages;

/// <summary>
/// <c>btc load</c>: btc-price-zscore → MongoDB, one collection per window. Writes are unordered bulk
/// upserts in batches bounded by size (here) and time (the runner's commit interval); offsets are
/// committed only after MongoDB acknowledged. While MongoDB is down the stage retries with backoff,
/// says so, and commits nothing, so nothing is lost and it resumes where it was.
/// </summary>
internal sealed class LoadStage(StageContext context, MongoSettings mongo) : IStage
{
    private readonly ZScoreMongoWriter _writer = new(mongo, context.Logger);
    private readonly TopicJsonReader _reader = new();
    private readonly RejectedRecordWriter _rejected = new(new TopicRecordSink(context.Publisher, context.Settings.Topics.Rejected), "load");
    private CancellationToken _stopping;

    public string Name => "load";

    public IReadOnlyList<string> InputTopics { get; } = [context.Settings.Topics.ZScore];

    public IReadOnlyList<string> OutputTopics { get; } = [context.Settings.Topics.Rejected];

    // Upserts by key make the stage stateless: replaying input rewrites the same documents.
    public bool RebuildsState => false;

    public void Start(CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        if (!_writer.Start(cancellationToken))
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public void OnRecord(ConsumeResult<string?, byte[]> record, bool replay)
    {
        byte[] value = record.Message.Value ?? [];
        if (!_reader.TryReadZScores(value, out ZScores? zscores))
        {
            _rejected.WriteInvalid(value, "not a btc-price-zscore record");
            return;
        }

        _writer.Add(zscores!);
        if (_writer.BatchFull)
        {
            _writer.Write(_stopping);
        }
    }

    public bool Flush(CancellationToken cancellationToken) =>
        _writer.Write(cancellationToken.CanBeCanceled ? cancellationToken : _stopping) && context.Publisher.Flush(cancellationToken);

    public string Describe() => $"{_writer.Loaded:N0} z-score records loaded ({_writer.Loaded * mongo.Windows.Count:N0} documents), {_rejected.Invalid:N0} invalid";

    public void Dispose()
    {
    }
}
