using System.Text;

namespace Btc.Cli.Output;

/// <summary>
/// Reads a stream as lines of UTF-8 bytes without decoding them: each line is lent as a slice of one
/// buffer, valid until the next call, so a million-line file costs no allocation per line. A UTF-8
/// byte order mark at the very start, as some Windows editors write, is skipped rather than taken
/// as part of the first line; a UTF-16 one (Windows PowerShell's <c>&gt;</c> writes UTF-16) makes the
/// rest be read as UTF-16 and turned into UTF-8.
/// </summary>
/// <remarks>
/// A line longer than <see cref="MaxLineBytes"/> is not held whole: only its first
/// <see cref="LongLinePrefixBytes"/> are kept, the rest is read past, and the caller learns its full
/// length. Memory stays bounded whatever the input, such as a JSON array of a million records on
/// one line, and every byte is looked at once.
/// </remarks>
/// <param name="stream">The input.</param>
/// <param name="beforeRead">Called before each read from <paramref name="stream"/>, which may wait for more input.</param>
internal sealed class LineReader(Stream stream, Action? beforeRead = null)
{
    /// <summary>The longest line read whole: 1 MiB, about the largest value a Kafka topic takes by default.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>How much of a longer line is kept, to quote it.</summary>
    public const int LongLinePrefixBytes = 1024;

    // Room for a whole line of the longest kind, its line ending, and as much again to read into.
    private readonly byte[] _buffer = new byte[(2 * MaxLineBytes) + 2];
    private readonly byte[] _longLinePrefix = new byte[LongLinePrefixBytes];
    private int _start;
    private int _end;
    private int _searched; // bytes after _start already known to hold no line feed
    private bool _eof;
    private bool _atStart = true;
    private Stream _stream = stream; // becomes a decoder when the input turns out to be UTF-16

    /// <summary>
    /// The next line without its line ending (<c>\n</c> or <c>\r\n</c>), or false at the end.
    /// <paramref name="length"/> is the line's length; when it is more than <see cref="MaxLineBytes"/>,
    /// <paramref name="line"/> holds only its first <see cref="LongLinePrefixBytes"/>.
    /// </summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out long length)
    {
        if (_atStart)
        {
            SkipByteOrderMark();
        }

        while (true)
        {
            int newline = _buffer.AsSpan(_start + _searched, _end - _start - _searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int lineFeed = _start + _searched + newline;
                line = Lend(_start, lineFeed, out length);
                _start = lineFeed + 1;
                _searched = 0;
                return true;
            }

            _searched = _end - _start;
            if (_searched > MaxLineBytes + 1)
            {
                // Longer than the longest line even without a carriage return at its end.
                line = ReadPastLongLine(out length);
                return true;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    line = Lend(_start, _end, out length);
                    _start = _end;
                    _searched = 0;
                    return true;
                }

                line = default;
                length = 0;
                return false;
            }

            Fill();
        }
    }

    // The line held in _buffer[start..end] without a carriage return at its end; only the first bytes
    // of one that is too long (held whole because its line feed came in the same read).
    private ReadOnlyMemory<byte> Lend(int start, int end, out long length)
    {
        length = end > start && _buffer[end - 1] == '\r' ? end - start - 1 : end - start;
        if (length <= MaxLineBytes)
        {
            return _buffer.AsMemory(start, (int)length);
        }

        return KeepPrefix(start);
    }

    // Keeps the first bytes of the line that starts at _start, then reads until the line feed that ends it.
    private ReadOnlyMemory<byte> ReadPastLongLine(out long length)
    {
        ReadOnlyMemory<byte> prefix = KeepPrefix(_start);
        length = 0;
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            int end = newline >= 0 ? _start + newline : _end;
            length += end - _start;
            bool carriageReturn = end > _start && _buffer[end - 1] == '\r';
            _start = end;
            _searched = 0;
            if (newline >= 0 || _eof)
            {
                if (carriageReturn)
                {
                    length--;
                }

                if (newline >= 0)
                {
                    _start++;
                }

                return prefix;
            }

            // Everything held is part of the long line: drop it and read on. A carriage return at the
            // very end may still be followed by the line feed, so it is kept for the next look.
            if (carriageReturn)
            {
                _start--;
                length--;
            }

            Fill();
        }
    }

    // The first bytes of a line too long to lend whole, copied out of the buffer that reading on reuses.
    private ReadOnlyMemory<byte> KeepPrefix(int start)
    {
        _buffer.AsSpan(start, LongLinePrefixBytes).CopyTo(_longLinePrefix);
        return _longLinePrefix;
    }

    private void SkipByteOrderMark()
    {
        _atStart = false;
        while (_end - _start < 3 && !_eof)
        {
            Fill();
        }

        ReadOnlySpan<byte> head = _buffer.AsSpan(_start, _end - _start);
        if (head.StartsWith("\uFEFF"u8))
        {
            _start += 3;
        }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            // What follows the mark, read already, goes back in front of the rest to be decoded with it.
            Encoding utf16 = head[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            _stream = Encoding.CreateTranscodingStream(new PrefixedStream(head[2..].ToArray(), _stream), utf16, Encoding.UTF8);
            (_start, _end, _eof) = (0, 0, false);
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

        // Held bytes are never more than one longest line and its line ending, so there is room.
        beforeRead?.Invoke();
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
