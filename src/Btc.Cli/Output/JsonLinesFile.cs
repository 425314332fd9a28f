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
        _stream = OpenReplacing(path);
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

    /// <summary>Writes what is buffered to the file; a failure (a full disk) is an <see cref="OutputWriteException"/>.</summary>
    public void Flush()
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        try
        {
            _stream.Write(_buffer.WrittenSpan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET's message names the file: "No space left on device : '/data/out/btc-price-moving.jsonl'".
            throw new OutputWriteException("Writing an output file failed: " + e.Message, e);
        }

        _buffer.ResetWrittenCount();
    }

    public void Dispose()
    {
        try
        {
            Flush();
        }
        finally
        {
            _stream.Dispose();
        }
    }

    // A file that is already there is unlinked and created anew rather than truncated in place:
    // .NET truncates with ftruncate(0), and ext4 answers a file truncated to zero (its auto_da_alloc
    // guard) by writing all its pages back when it is closed — closing the outputs of a million
    // records took ~0.4 s that way, on the critical path. Only a file with content is unlinked: a
    // symbolic link is kept and written through, and so is what has no size to truncate, such as a
    // named pipe another program reads the output from (mkfifo) or a device.
    private static FileStream OpenReplacing(string path)
    {
        var existing = new FileInfo(path);
        if (existing.Exists && existing.LinkTarget is null && existing.Length > 0)
        {
            File.Delete(path);
        }

        try
        {
            return Open(path, FileMode.CreateNew);
        }
        catch (IOException) when (File.Exists(path))
        {
            return Open(path, FileMode.Create); // a link, or made by someone else in between
        }
    }

    private static FileStream Open(string path, FileMode mode) =>
        new(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
}
