namespace Btc.Cli.Mongo;

/// <summary>
/// MongoDB refused the load for a reason waiting does not mend: credentials it rejects, or a user
/// without the right to write. An output that cannot be written, so commands report it as they do a
/// full disk: one sentence, exit code 1.
/// </summary>
internal sealed class MongoRefusedException(string message, Exception innerException) : IOException(message, innerException);
