using System.Text.RegularExpressions;
using Btc.Rx.Records;

namespace Btc.Cli.Mongo;

/// <summary>Where <c>btc load</c> writes: the connection string (option or <c>BTC_MONGO_URI</c>), database and batching.</summary>
internal sealed partial record MongoSettings
{
    public const string UriEnvironmentVariable = "BTC_MONGO_URI";

    public required string Uri { get; init; }

    public string Database { get; init; } = "btc";

    /// <summary>What MongoDB takes as a database name: 1 to 63 characters, none of / \ . " $, a space or NUL.</summary>
    public static bool IsValidDatabaseName(string? name) =>
        name is { Length: >= 1 and <= 63 } && name.IndexOfAny(['/', '\\', '.', '"', '$', ' ', '\0']) < 0;

    /// <summary>Z-score records per bulk write (each becomes one document per window).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>The windows whose collections and indexes are created at start-up.</summary>
    public WindowSet Windows { get; init; } = WindowSet.Standard;

    /// <summary>The connection string with any password replaced by <c>***</c>, for logs.</summary>
    public string Describe() => Redact(Uri) + " database " + Database;

    public static string Redact(string uri) => Password().Replace(uri, "$1***@");

    /// <summary>
    /// One sentence on why <paramref name="uri"/> is not a MongoDB connection string, or null when it
    /// is one. The driver's own message quotes the whole string, password included, so it is not used.
    /// </summary>
    public static string? UriProblem(string uri)
    {
        try
        {
            _ = MongoDB.Driver.MongoUrl.Create(uri);
            return null;
        }
        catch (Exception e) when (e is MongoDB.Driver.MongoConfigurationException or ArgumentException or FormatException)
        {
            return $"--mongo-uri (or {UriEnvironmentVariable}) is not a MongoDB connection string: it takes mongodb://[user:password@]host[:port][/database][?options] or mongodb+srv://….";
        }
    }

    [GeneratedRegex("(://[^:/@]*:)[^@/]*@")]
    private static partial Regex Password();
}
