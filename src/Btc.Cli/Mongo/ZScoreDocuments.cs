using Btc.Rx.Records;
using Btc.Rx.Time;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Btc.Cli.Mongo;

/// <summary>
/// A z-score record as SEMANTICS stores it: one document per window in
/// <c>btc-price-zscore-&lt;window&gt;</c>, <c>{_id: {symbol, timestamp}, symbol, timestamp, window,
/// zscore_price}</c>, written as an upsert on <c>_id</c> so any replay leaves exactly one document.
/// </summary>
internal static class ZScoreDocuments
{
    public const string CollectionPrefix = "btc-price-zscore-";

    public static string CollectionName(string window) => CollectionPrefix + window;

    public static ReplaceOneModel<BsonDocument> Upsert(ZScores zscores, int window)
    {
        var timestamp = new BsonDateTime(zscores.Timestamp);
        var id = new BsonDocument { { "symbol", zscores.Symbol }, { "timestamp", timestamp } };
        var document = new BsonDocument
        {
            { "_id", id },
            { "symbol", zscores.Symbol },
            { "timestamp", timestamp },
            { "window", zscores.Windows.Name(window) },
            { "zscore_price", zscores.Value(window) },
        };
        return new ReplaceOneModel<BsonDocument>(new BsonDocument("_id", id), document) { IsUpsert = true };
    }

    /// <summary>The timestamp of a stored document as the topics write it.</summary>
    public static string Timestamp(BsonDocument document) => EventTime.Format(document["timestamp"].ToUniversalTime().Subtract(DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond);
}
