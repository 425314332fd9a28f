using Btc.Rx.Internal;
using Btc.Rx.Records;

namespace Btc.Rx.Parsing;

/// <summary>Parses raw values into ticks; invalid ones go to the side output with their reason.</summary>
internal sealed class ParsePricesSink(IObserver<PriceTick> downstream, Action<InvalidRecord>? onInvalid)
    : Sink<PriceTick>(downstream), IObserver<ReadOnlyMemory<byte>>
{
    private readonly PriceRecordParser _parser = new();

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (_parser.TryParse(value.Span, out PriceTick tick, out string? reason))
        {
            ForwardOnNext(tick);
            return;
        }

        try
        {
            onInvalid?.Invoke(new InvalidRecord(value, reason!));
        }
        catch (Exception error)
        {
            ForwardOnError(error);
        }
    }

    public void OnError(Exception error) => ForwardOnError(error);

    public void OnCompleted() => ForwardOnCompleted();
}
