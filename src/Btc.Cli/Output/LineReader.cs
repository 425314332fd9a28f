namespace Btc.Cli.Output;

/// <summary>
/// Reads a stream as lines of UTF-8 bytes without decoding them: each line is lent as a slice of one
/// buffer, valid until the next call, so a million-line file costs no allocation per line. A UTF-8
/// byte order mark at the very start, as some Windows editors write, is skipped rather than taken
/// as part of the first line.
/// </summary>
internal sealed class LineReader(Stream stream)
{
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _atStart = true;

    /// <summary>The next line without its line ending (<c>\n</c> or <c>\r\n</c>), or false at the end.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        if (_atStart)
        {
            SkipByteOrderMark();
        }

        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int length = newline > 0 && _buffer[_start + newline - 1] == '\r' ? newline - 1 : newline;
                line = _buffer.AsMemory(_start, length);
                _start += newline + 1;
                return true;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    int length = _end - _start;
                    if (_buffer[_end - 1] == '\r')
                    {
                        length--;
                    }

                    line = _buffer.AsMemory(_start, length);
                    _start = _end;
                    return true;
                }

                line = default;
                return false;
            }

            Fill();
        }
    }

    private void SkipByteOrderMark()
    {
        _atStart = false;
        while (_end - _start < 3 && !_eof)
        {
            Fill();
        }

        if (_buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
        {
            _start += 3;
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: grow rather than split it.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
