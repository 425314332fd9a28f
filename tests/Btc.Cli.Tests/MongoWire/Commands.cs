using MongoDB.Bson;

namespace Btc.Cli.Tests.MongoWire;

/// <summary>The commands the test server answers, as a standalone MongoDB 7 would for what the driver sends.</summary>
internal static class Commands
{
    private static readonly Dictionary<long, (List<BsonDocument> Remaining, string Namespace)> Cursors = [];
    private static long _nextCursor;

    public static BsonDocument Run(MongoStore store, string database, BsonDocument command, Dictionary<string, List<BsonDocument>> sequences, int connectionId)
    {
        string name = command.GetElement(0).Name;
        if (store.RefusesWrites && name.ToLowerInvariant() is "create" or "createindexes" or "drop" or "insert" or "update")
        {
            return Error(13, "Unauthorized", $"not authorized on {database} to execute command {{ {name}: \"{command[0]}\", $db: \"{database}\" }}");
        }

        try
        {
            return name.ToLowerInvariant() switch
            {
                "hello" or "ismaster" => Hello(connectionId),
                "ping" or "endsessions" or "killcursors" => Ok(),
                "buildinfo" => Ok(new BsonDocument { { "version", "7.0.0" }, { "versionArray", new BsonArray { 7, 0, 0, 0 } }, { "maxBsonObjectSize", 16 * 1024 * 1024 } }),
                "create" => Create(store, database, command),
                "createindexes" => CreateIndexes(store, database, command),
                "drop" => Drop(store, database, command),
                "insert" => Insert(store, database, command, Documents(command, sequences, "documents")),
                "update" => Update(store, database, command, Documents(command, sequences, "updates")),
                "find" => Find(store, database, command),
                "getmore" => GetMore(command),
                "listcollections" => ListCollections(store, database),
                "listindexes" => Batch([.. store.Indexes(database, command[0].AsString).Select(n => new BsonDocument { { "v", 2 }, { "name", n } })], database + "." + command[0].AsString, int.MaxValue, "firstBatch"),
                _ => Error(59, "CommandNotFound", $"no such command: '{name}'"),
            };
        }
        catch (Exception e) when (e is InvalidCastException or KeyNotFoundException or ArgumentException)
        {
            return Error(9, "FailedToParse", e.Message);
        }
    }

    private static BsonDocument Hello(int connectionId) => Ok(new BsonDocument
    {
        { "helloOk", true },
        { "isWritablePrimary", true },
        { "ismaster", true },
        { "maxBsonObjectSize", 16 * 1024 * 1024 },
        { "maxMessageSizeBytes", 48_000_000 },
        { "maxWriteBatchSize", 100_000 },
        { "localTime", DateTime.UtcNow },
        { "logicalSessionTimeoutMinutes", 30 },
        { "connectionId", connectionId },
        { "minWireVersion", 0 },
        { "maxWireVersion", 21 },
        { "readOnly", false },
    });

    private static BsonDocument Create(MongoStore store, string database, BsonDocument command)
    {
        store.Create(database, command[0].AsString);
        return Ok();
    }

    private static BsonDocument CreateIndexes(MongoStore store, string database, BsonDocument command)
    {
        string collection = command[0].AsString;
        int before = store.Indexes(database, collection).Count;
        foreach (BsonValue index in command["indexes"].AsBsonArray)
        {
            store.AddIndex(database, collection, index["name"].AsString);
        }

        return Ok(new BsonDocument { { "numIndexesBefore", before }, { "numIndexesAfter", store.Indexes(database, collection).Count } });
    }

    private static BsonDocument Drop(MongoStore store, string database, BsonDocument command)
    {
        store.Drop(database, command[0].AsString);
        return Ok();
    }

    private static BsonDocument Insert(MongoStore store, string database, BsonDocument command, List<BsonDocument> documents)
    {
        string collection = command[0].AsString;
        bool ordered = command.GetValue("ordered", true).ToBoolean();
        int inserted = 0;
        var errors = new BsonArray();
        for (int i = 0; i < documents.Count; i++)
        {
            if (store.Insert(database, collection, documents[i]))
            {
                inserted++;
            }
            else
            {
                errors.Add(new BsonDocument { { "index", i }, { "code", 11000 }, { "errmsg", $"E11000 duplicate key error collection: {database}.{collection} index: _id_ dup key: {documents[i]["_id"]}" } });
                if (ordered)
                {
                    break;
                }
            }
        }

        BsonDocument answer = Ok(new BsonDocument { { "n", inserted } });
        if (errors.Count > 0)
        {
            answer["writeErrors"] = errors;
        }

        return answer;
    }

    private static BsonDocument Update(MongoStore store, string database, BsonDocument command, List<BsonDocument> updates)
    {
        string collection = command[0].AsString;
        int matched = 0;
        int modified = 0;
        var upserted = new BsonArray();
        for (int i = 0; i < updates.Count; i++)
        {
            BsonDocument update = updates[i];
            BsonDocument replacement = update["u"].AsBsonDocument;
            if (replacement.ElementCount > 0 && replacement.GetElement(0).Name.StartsWith('$'))
            {
                return Error(9, "FailedToParse", "the test server supports replacement updates only");
            }

            var (m, n, id) = store.Replace(database, collection, update["q"].AsBsonDocument, replacement, update.GetValue("upsert", false).ToBoolean());
            matched += m;
            modified += n;
            if (id is not null)
            {
                upserted.Add(new BsonDocument { { "index", i }, { "_id", id } });
            }
        }

        BsonDocument answer = Ok(new BsonDocument { { "n", matched + upserted.Count }, { "nModified", modified } });
        if (upserted.Count > 0)
        {
            answer["upserted"] = upserted;
        }

        return answer;
    }

    private static BsonDocument Find(MongoStore store, string database, BsonDocument command)
    {
        string collection = command[0].AsString;
        List<BsonDocument> found = store.Find(database, collection, command.GetValue("filter", new BsonDocument()).AsBsonDocument);
        if (command.TryGetValue("limit", out BsonValue limit) && limit.ToInt32() > 0)
        {
            found = [.. found.Take(limit.ToInt32())];
        }

        return Batch(found, database + "." + collection, command.GetValue("batchSize", int.MaxValue).ToInt32(), "firstBatch");
    }

    private static BsonDocument GetMore(BsonDocument command)
    {
        long id = command[0].ToInt64();
        (List<BsonDocument> Remaining, string Namespace) cursor;
        lock (Cursors)
        {
            if (!Cursors.Remove(id, out cursor))
            {
                return Error(43, "CursorNotFound", $"cursor id {id} not found");
            }
        }

        return Batch(cursor.Remaining, cursor.Namespace, command.GetValue("batchSize", int.MaxValue).ToInt32(), "nextBatch");
    }

    private static BsonDocument Batch(List<BsonDocument> documents, string ns, int batchSize, string field)
    {
        long id = 0;
        if (documents.Count > batchSize)
        {
            lock (Cursors)
            {
                id = ++_nextCursor;
                Cursors[id] = ([.. documents.Skip(batchSize)], ns);
            }
        }

        return Ok(new BsonDocument { { "cursor", new BsonDocument { { field, new BsonArray(documents.Take(batchSize)) }, { "id", id }, { "ns", ns } } } });
    }

    private static BsonDocument ListCollections(MongoStore store, string database) =>
        Batch([.. store.CollectionNames(database).Select(n => new BsonDocument { { "name", n }, { "type", "collection" } })], database + ".$cmd.listCollections", int.MaxValue, "firstBatch");

    private static List<BsonDocument> Documents(BsonDocument command, Dictionary<string, List<BsonDocument>> sequences, string field) =>
        sequences.TryGetValue(field, out List<BsonDocument>? sequence) ? sequence : [.. command[field].AsBsonArray.Select(v => v.AsBsonDocument)];

    private static BsonDocument Ok(BsonDocument? fields = null)
    {
        BsonDocument answer = fields ?? [];
        answer["ok"] = 1.0;
        return answer;
    }

    private static BsonDocument Error(int code, string codeName, string message) =>
        new() { { "ok", 0.0 }, { "errmsg", message }, { "code", code }, { "codeName", codeName } };
}
