namespace Btc.Cli.Output;

/// <summary>
/// An output file could not be written (a full disk, an I/O error). Commands report its message as one
/// sentence and stop: going on would only compute results that cannot be kept.
/// </summary>
internal sealed class OutputWriteException(string message, Exception innerException) : IOException(message, innerException);
