using Btc.Cli.Kafka;
using Btc.Cli.Mongo;
using Btc.Cli.Output;
using Btc.Rx.Records;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Btc.Cli.Stages;

/// <summary>
/// <c>btc load</c>: btc-price-zscore → MongoDB, one collection per window. Writes are unordered bulk
/// upserts in batches bounded by size (here) and time (the runner's commit interval); offsets are
/// committed only after MongoDB acknowledged. While MongoDB is down the stage retries with backoff,
/// says so, and commits nothing, so nothing is lost and it resumes where it was.
/// </summary>
internal sealed class LoadStage : IStage
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private readonly StageContext _context;
    private readonly MongoSettings _mongo;
    private readonly IMongoDatabase _database;
    private readonly TopicJsonReader _reader = new();
    private readonly RejectedRecordWriter _rejected;
    private readonly Dictionary<string, List<WriteModel<BsonDocument>>> _pending = [];
    private CancellationToken _stopping;
    private int _pendingRecords;
    private long _loaded;

    public LoadStage(StageContext context, MongoSettings mongo)
    {
        _context = context;
        _mongo = mongo;
        _database = new MongoClient(mongo.Uri).GetDatabase(mongo.Database);
        InputTopics = [context.Settings.Topics.ZScore];
        OutputTopics = [context.Settings.Topics.Rejected];
        _rejected = new RejectedRecordWriter(new TopicRecordSink(context.Publisher, context.Settings.Topics.Rejected), Name);
    }

    public string Name => "load";

    public IReadOnlyList<string> InputTopics { get; }

    public IReadOnlyList<string> OutputTopics { get; }

    // Upserts by key make the stage stateless: replaying input rewrites the same documents.
    public bool RebuildsState => false;

    public void Start(CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        _context.Logger.LogInformation("loading into {Mongo}", _mongo.Describe());
        Retry("creating collections and indexes", () =>
        {
            HashSet<string> existing = [.. _database.ListCollectionNames().ToList()];
            for (int i = 0; i < _mongo.Windows.Count; i++)
            {
                string name = ZScoreDocuments.CollectionName(_mongo.Windows.Name(i));
                if (!existing.Contains(name))
                {
                    _database.CreateCollection(name);
                }

                CreateIndex(name);
            }
        });
    }

    public void OnRecord(ConsumeResult<string?, byte[]> record, bool replay)
    {
        byte[] value = record.Message.Value ?? [];
        if (!_reader.TryReadZScores(value, out ZScores? zscores))
        {
            _rejected.WriteInvalid(value, "not a btc-price-zscore record");
            return;
        }

        for (int i = 0; i < zscores!.Windows.Count; i++)
        {
            string collection = ZScoreDocuments.CollectionName(zscores.Windows.Name(i));
            if (!_pending.TryGetValue(collection, out List<WriteModel<BsonDocument>>? models))
            {
                _pending[collection] = models = [];
            }

            models.Add(ZScoreDocuments.Upsert(zscores, i));
        }

        if (++_pendingRecords >= _mongo.BatchSize)
        {
            Flush(_stopping);
        }
    }

    public bool Flush(CancellationToken cancellationToken)
    {
        if (_pendingRecords > 0)
        {
            bool written = Retry($"writing {_pendingRecords} z-score records", () =>
            {
                foreach (var (collection, models) in _pending)
                {
                    if (models.Count > 0)
                    {
                        _database.GetCollection<BsonDocument>(collection).BulkWrite(models, new BulkWriteOptions { IsOrdered = false }, cancellationToken);
                        models.Clear();
                    }
                }
            }, cancellationToken);
            if (!written)
            {
                return false;
            }

            _loaded += _pendingRecords;
            _pendingRecords = 0;
        }

        return _context.Publisher.Flush(cancellationToken);
    }

    public string Describe() => $"{_loaded:N0} z-score records loaded ({_loaded * _mongo.Windows.Count:N0} documents), {_rejected.Invalid:N0} invalid";

    public void Dispose()
    {
    }

    private void CreateIndex(string collection)
    {
        var keys = Builders<BsonDocument>.IndexKeys.Ascending("timestamp");
        _database.GetCollection<BsonDocument>(collection).Indexes.CreateOne(new CreateIndexModel<BsonDocument>(keys, new CreateIndexOptions { Name = "timestamp_1" }));
    }

    // MongoDB down or unreachable: wait and try again, saying so once per outage, until it answers or
    // the stage is stopped. Writes are upserts, so repeating a partly applied batch is harmless.
    private bool Retry(string what, Action action, CancellationToken cancellationToken = default)
    {
        CancellationToken token = cancellationToken.CanBeCanceled ? cancellationToken : _stopping;
        TimeSpan backoff = TimeSpan.FromMilliseconds(250);
        bool failing = false;
        while (true)
        {
            try
            {
                action();
                if (failing)
                {
                    _context.Logger.LogInformation("MongoDB answers again; {What} succeeded", what);
                }

                return true;
            }
            catch (Exception e) when (e is MongoException or TimeoutException && !token.IsCancellationRequested)
            {
                if (!failing)
                {
                    _context.Logger.LogWarning("MongoDB is unavailable while {What} ({Error}); retrying with backoff, committing nothing meanwhile", what, e.Message.ReplaceLineEndings(" "));
                    failing = true;
                }

                if (token.WaitHandle.WaitOne(backoff))
                {
                    return false;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
