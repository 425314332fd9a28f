using System.Buffers;
using Btc.Rx.Records;
using Btc.Rx.Serialization;

namespace Btc.Bench;

/// <summary>btc-price lines written to a file through one buffer.</summary>
internal sealed class JsonLinesOut(string path) : IDisposable
{
    private readonly FileStream _stream = new(path, FileMode.Create);
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);

    public void WritePrice(in PriceTick tick)
    {
        TopicJson.WritePrice(_buffer, tick);
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount > 1 << 19)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    public void Dispose()
    {
        _stream.Write(_buffer.WrittenSpan);
        _stream.Dispose();
    }
}
