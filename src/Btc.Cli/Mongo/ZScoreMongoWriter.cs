using Btc.Rx.Records;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Btc.Cli.Mongo;

/// <summary>
/// Writes z-score records into MongoDB as <see cref="ZScoreDocuments"/>: collections and timestamp
/// indexes made at start, then unordered bulk upserts of what was added. While MongoDB is down it
/// retries with backoff and says so once per outage; a write returns only when MongoDB acknowledged
/// it, or false when stopped first. Credentials or rights MongoDB refuses end it with a
/// <see cref="MongoRefusedException"/>.
/// </summary>
internal sealed class ZScoreMongoWriter(MongoSettings settings, ILogger logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private readonly IMongoDatabase _database = new MongoClient(settings.Uri).GetDatabase(settings.Database);
    private readonly Dictionary<string, List<WriteModel<BsonDocument>>> _pending = [];

    /// <summary>Records added and not yet written.</summary>
    public int Pending { get; private set; }

    /// <summary>Records MongoDB acknowledged.</summary>
    public long Loaded { get; private set; }

    public bool BatchFull => Pending >= settings.BatchSize;

    /// <summary>Creates the collections and their timestamp indexes; false when stopped before MongoDB answered.</summary>
    public bool Start(CancellationToken stopping)
    {
        logger.LogInformation("loading into {Mongo}", settings.Describe());
        return Retry("creating collections and indexes", stopping, () =>
        {
            // The token ends MongoDB's server selection (30 s) at Ctrl+C rather than after it.
            HashSet<string> existing = [.. _database.ListCollectionNames(cancellationToken: stopping).ToList(stopping)];
            for (int i = 0; i < settings.Windows.Count; i++)
            {
                string name = ZScoreDocuments.CollectionName(settings.Windows.Name(i));
                if (!existing.Contains(name))
                {
                    _database.CreateCollection(name, cancellationToken: stopping);
                }

                var keys = Builders<BsonDocument>.IndexKeys.Ascending("timestamp");
                _database.GetCollection<BsonDocument>(name).Indexes.CreateOne(new CreateIndexModel<BsonDocument>(keys, new CreateIndexOptions { Name = "timestamp_1" }), cancellationToken: stopping);
            }
        });
    }

    public void Add(ZScores zscores)
    {
        for (int i = 0; i < zscores.Windows.Count; i++)
        {
            string collection = ZScoreDocuments.CollectionName(zscores.Windows.Name(i));
            if (!_pending.TryGetValue(collection, out List<WriteModel<BsonDocument>>? models))
            {
                _pending[collection] = models = [];
            }

            models.Add(ZScoreDocuments.Upsert(zscores, i));
        }

        Pending++;
    }

    /// <summary>Writes everything added; true once MongoDB acknowledged, false when stopped first.</summary>
    public bool Write(CancellationToken stopping)
    {
        if (Pending == 0)
        {
            return true;
        }

        bool written = Retry($"writing {Pending} z-score records", stopping, () =>
        {
            foreach (var (collection, models) in _pending)
            {
                if (models.Count > 0)
                {
                    _database.GetCollection<BsonDocument>(collection).BulkWrite(models, new BulkWriteOptions { IsOrdered = false }, stopping);
                    // Written collections are not written again when a later one fails; repeating would be harmless (upserts).
                    models.Clear();
                }
            }
        });
        if (written)
        {
            Loaded += Pending;
            Pending = 0;
        }

        return written;
    }

    // Credentials MongoDB rejects (AuthenticationFailed, 18), or a user without the right to write (Unauthorized, 13).
    private static bool IsRefusal(Exception e) =>
        e is MongoAuthenticationException or MongoCommandException { Code: 13 or 18 } || e.InnerException is MongoAuthenticationException;

    private bool Retry(string what, CancellationToken stopping, Action action)
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(250);
        bool failing = false;
        while (true)
        {
            try
            {
                action();
                if (failing)
                {
                    logger.LogInformation("MongoDB answers again; {What} succeeded", what);
                }

                return true;
            }
            catch (Exception e) when (IsRefusal(e))
            {
                // Waiting does not mend these: the stage stops, committing nothing, and a restart once
                // the user's rights or credentials are fixed loads everything from the last commit.
                throw new MongoRefusedException($"MongoDB refused {what}: {e.Message.ReplaceLineEndings(" ")}", e);
            }
            catch (Exception e) when (e is MongoException or TimeoutException)
            {
                if (stopping.IsCancellationRequested)
                {
                    return false; // stopped while MongoDB did not answer: it failed because of that, or anyway
                }

                if (!failing)
                {
                    logger.LogWarning("MongoDB is unavailable while {What} ({Error}); retrying with backoff, committing nothing meanwhile", what, e.Message.ReplaceLineEndings(" "));
                    failing = true;
                }

                if (stopping.WaitHandle.WaitOne(backoff))
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
