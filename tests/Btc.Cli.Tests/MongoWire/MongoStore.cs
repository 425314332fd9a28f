using MongoDB.Bson;

namespace Btc.Cli.Tests.MongoWire;

/// <summary>The test server's data: collections of documents unique by <c>_id</c>, kept in insertion order.</summary>
internal sealed class MongoStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Collection> _collections = [];

    /// <summary>Write commands that changed or inserted documents, for tests that count round trips.</summary>
    public int Writes { get; private set; }

    /// <summary>Answers every command that would change something as MongoDB answers a user with read rights only.</summary>
    public bool RefusesWrites { get; set; }

    public IReadOnlyList<string> CollectionNames(string database)
    {
        lock (_gate)
        {
            return [.. _collections.Keys.Where(k => k.StartsWith(database + ".", StringComparison.Ordinal)).Select(k => k[(database.Length + 1)..])];
        }
    }

    public List<BsonDocument> Documents(string database, string collection)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(database + "." + collection, out Collection? found) ? [.. found.Documents.Values.Select(d => d.DeepClone().AsBsonDocument)] : [];
        }
    }

    public IReadOnlyList<string> Indexes(string database, string collection)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(database + "." + collection, out Collection? found) ? [.. found.Indexes] : [];
        }
    }

    public void Create(string database, string collection) => WithCollection(database, collection, _ => 0);

    public void AddIndex(string database, string collection, string name) => WithCollection(database, collection, c => c.Indexes.Add(name) ? 1 : 0);

    public void Drop(string database, string collection)
    {
        lock (_gate)
        {
            _collections.Remove(database + "." + collection);
        }
    }

    /// <summary>Inserts; false when a document with the same _id exists (duplicate key).</summary>
    public bool Insert(string database, string collection, BsonDocument document) =>
        WithCollection(database, collection, c =>
        {
            if (!document.Contains("_id"))
            {
                document.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
            }

            Writes++;
            return c.Documents.TryAdd(document["_id"], document) ? 1 : 0;
        }) == 1;

    /// <summary>Replaces the documents matching <paramref name="filter"/> (the first one unless <paramref name="multi"/>), or inserts when <paramref name="upsert"/>.</summary>
    public (int Matched, int Modified, BsonValue? UpsertedId) Replace(string database, string collection, BsonDocument filter, BsonDocument replacement, bool upsert)
    {
        (int, int, BsonValue?) result = default;
        WithCollection(database, collection, c =>
        {
            Writes++;
            // By _id alone (every upsert of the load stage) a lookup: a scan per write made loading a
            // few thousand records quadratic, seconds of CPU in a loaded test run.
            BsonDocument? existing = filter.ElementCount == 1 && filter.Contains("_id")
                ? c.Documents.GetValueOrDefault(filter["_id"])
                : c.Documents.Values.FirstOrDefault(d => Matches(d, filter));
            if (existing is not null)
            {
                var updated = replacement.DeepClone().AsBsonDocument;
                updated.Remove("_id");
                updated.InsertAt(0, new BsonElement("_id", existing["_id"]));
                bool changed = !updated.Equals(existing);
                c.Documents[existing["_id"]] = updated;
                result = (1, changed ? 1 : 0, null);
                return 0;
            }

            if (upsert)
            {
                var inserted = replacement.DeepClone().AsBsonDocument;
                if (!inserted.Contains("_id"))
                {
                    inserted.InsertAt(0, new BsonElement("_id", filter.GetValue("_id", ObjectId.GenerateNewId())));
                }

                c.Documents[inserted["_id"]] = inserted;
                result = (0, 0, inserted["_id"]);
            }

            return 0;
        });
        return result;
    }

    public List<BsonDocument> Find(string database, string collection, BsonDocument filter)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(database + "." + collection, out Collection? found)
                ? [.. found.Documents.Values.Where(d => Matches(d, filter)).Select(d => d.DeepClone().AsBsonDocument)]
                : [];
        }
    }

    // Equality on top-level fields: all the test clients ask.
    private static bool Matches(BsonDocument document, BsonDocument filter) =>
        filter.All(element => document.TryGetValue(element.Name, out BsonValue value) && value.Equals(element.Value));

    private int WithCollection(string database, string collection, Func<Collection, int> action)
    {
        lock (_gate)
        {
            string key = database + "." + collection;
            if (!_collections.TryGetValue(key, out Collection? found))
            {
                found = new Collection();
                found.Indexes.Add("_id_");
                _collections[key] = found;
            }

            return action(found);
        }
    }

    private sealed class Collection
    {
        public Dictionary<BsonValue, BsonDocument> Documents { get; } = [];

        public HashSet<string> Indexes { get; } = [];
    }
}
