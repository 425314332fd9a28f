using System.Buffers;

namespace Btc.Cli.Output;

/// <summary>
/// A JSON Lines file written through one reusable buffer: callers write a value into
/// <see cref="Writer"/> and call <see cref="EndRecord"/>; the buffer goes to disk in large blocks.
/// </summary>
internal sealed class JsonLinesFile : IRecordSink, IDisposable
{
    // 128 KiB stays in the core's cache until the kernel copies it into the page cache; with 1 MiB
    // blocks that copy read from memory and took about 0.4 s more system time per million records.
    private const int FlushThreshold = 1 << 17;
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold + (64 * 1024));

    public JsonLinesFile(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
    }

    public string Path { get; }

    public long Records { get; private set; }

    public IBufferWriter<byte> Writer => _buffer;

    public void EndRecord()
    {
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        Records++;
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            Flush();
        }
    }

    public void Flush()
    {
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    public void Dispose()
    {
        Flush();
        _stream.Dispose();
    }
}
