namespace Btc.Cli.Commands;

/// <summary>
/// Something the user asked for that turned out unusable only once the command ran: Kafka settings
/// the client refuses, symbols Binance does not list. Reported in one sentence with exit code 2, as
/// an option that does not parse is (<see cref="CancellableAction"/>).
/// </summary>
internal abstract class UsageException(string message, Exception? innerException = null) : Exception(message, innerException);
