namespace Btc.Rx.Parsing;

/// <summary>A value that is not a valid record, with the reason; sent to the dead-letter side output.</summary>
/// <param name="Value">The value as received.</param>
/// <param name="Reason">Why it is invalid, for example <c>price must be greater than 0</c>.</param>
public readonly record struct InvalidRecord(ReadOnlyMemory<byte> Value, string Reason);
