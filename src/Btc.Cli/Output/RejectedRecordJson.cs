using System.Buffers;
using System.Text;
using Btc.Rx.Serialization;

namespace Btc.Cli.Output;

/// <summary>
/// The <c>btc-price-rejected</c> value: <c>{"stage": …, "reason": …, "detail": …, "value": …}</c>, the
/// original value as a string (it may not be JSON at all), so nothing rejected is lost.
/// </summary>
internal static class RejectedRecordJson
{
    public static void Write(IBufferWriter<byte> output, string stage, string reason, string detail, ReadOnlySpan<byte> value)
    {
        JsonText.WriteRaw(output, "{\"stage\": "u8);
        JsonText.WriteString(output, stage);
        JsonText.WriteRaw(output, ", \"reason\": "u8);
        JsonText.WriteString(output, reason);
        JsonText.WriteRaw(output, ", \"detail\": "u8);
        JsonText.WriteString(output, detail);
        JsonText.WriteRaw(output, ", \"value\": "u8);
        JsonText.WriteString(output, Encoding.UTF8.GetString(value));
        JsonText.WriteRaw(output, "}"u8);
    }
}
