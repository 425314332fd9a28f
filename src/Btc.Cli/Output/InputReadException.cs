namespace Btc.Cli.Output;

/// <summary>
/// The input could not be opened or read to its end (an I/O error, a file that went away). Commands
/// report its message as one sentence: it is the machine's problem to fix, not a bug in btc.
/// </summary>
internal sealed class InputReadException(string message, Exception innerException) : IOException(message, innerException);
