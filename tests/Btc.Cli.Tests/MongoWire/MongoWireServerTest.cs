using MongoDB.Bson;
using MongoDB.Driver;

namespace Btc.Cli.Tests.MongoWire;

/// <summary>The test server answers the real driver: a double is only useful if it behaves like the thing.</summary>
public class MongoWireServerTest : IDisposable
{
    private readonly MongoWireServer _server = new();

    public void Dispose() => _server.Dispose();

    private IMongoCollection<BsonDocument> Collection() => new MongoClient(_server.ConnectionString).GetDatabase("db").GetCollection<BsonDocument>("things");

    [Fact]
    public async Task InsertFindAndBatches_RoundTrip()
    {
        IMongoCollection<BsonDocument> things = Collection();
        await things.InsertManyAsync(Enumerable.Range(0, 250).Select(i => new BsonDocument { { "_id", i }, { "even", i % 2 == 0 } }));
        List<BsonDocument> all = await things.Find(FilterDefinition<BsonDocument>.Empty, new FindOptions { BatchSize = 100 }).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 250), all.Select(d => d["_id"].AsInt32));
        Assert.Equal(125, (await things.Find(new BsonDocument("even", true)).ToListAsync()).Count);
    }

    [Fact]
    public async Task DuplicateId_IsAWriteError()
    {
        IMongoCollection<BsonDocument> things = Collection();
        await things.InsertOneAsync(new BsonDocument("_id", 1));
        var error = await Assert.ThrowsAsync<MongoWriteException>(() => things.InsertOneAsync(new BsonDocument("_id", 1)));
        Assert.Equal(ServerErrorCategory.DuplicateKey, error.WriteError.Category);
    }

    [Fact]
    public async Task UnorderedBulkUpserts_ReplaceByIdAndCountWhatHappened()
    {
        IMongoCollection<BsonDocument> things = Collection();
        BsonDocument Key(int i) => new() { { "k", i } };
        ReplaceOneModel<BsonDocument> Upsert(int i, int value) => new(new BsonDocument("_id", Key(i)), new BsonDocument { { "_id", Key(i) }, { "v", value } }) { IsUpsert = true };

        BulkWriteResult<BsonDocument> first = await things.BulkWriteAsync([Upsert(1, 1), Upsert(2, 2)], new BulkWriteOptions { IsOrdered = false });
        BulkWriteResult<BsonDocument> second = await things.BulkWriteAsync([Upsert(1, 1), Upsert(2, 3)], new BulkWriteOptions { IsOrdered = false });
        Assert.Equal(2, first.Upserts.Count);
        Assert.Empty(second.Upserts);
        Assert.Equal(2, second.MatchedCount);
        Assert.Equal(1, second.ModifiedCount);
        Assert.Equal([1, 3], (await things.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync()).Select(d => d["v"].AsInt32));
    }

    [Fact]
    public async Task Down_FailsTheClient_AndBackUp_ItWorksAgain()
    {
        IMongoCollection<BsonDocument> things = Collection();
        await things.InsertOneAsync(new BsonDocument("_id", 1));
        _server.TakeDown();
        await Assert.ThrowsAnyAsync<MongoException>(() => things.InsertOneAsync(new BsonDocument("_id", 2)));
        _server.BringUp();
        await things.InsertOneAsync(new BsonDocument("_id", 3));
        Assert.Equal([1, 3], _server.Store.Documents("db", "things").Select(d => d["_id"].AsInt32));
    }
}
