using Btc.Cli.Output;
using CsCheck;

namespace Btc.Cli.Tests;

public class LineReaderTest
{
    private const int Max = LineReader.MaxLineBytes;

    // Content bytes: no line feed, but carriage returns inside lines and the bytes of a byte order mark.
    private static readonly byte[] Alphabet = [(byte)'a', (byte)'{', (byte)' ', (byte)'"', (byte)'\r', 0xEF, 0xBB, 0xBF];

    private static readonly Gen<(int Length, bool CrLf, int Seed)> Line = Gen.Select(
        Gen.OneOf(Gen.Int[0, 80], Gen.Int[Max - 2, Max + 3], Gen.Int[Max + 4, 3 * Max]),
        Gen.Bool,
        Gen.Int);

    [Fact]
    public void Lines_AreWhatSplittingTheWholeTextGives_WhateverTheReadSizes() =>
        Gen.Select(Line.Array[0, 5], Gen.Bool, Gen.Bool, Gen.OneOf(Gen.Int[1, 16], Gen.Int[1, 70_000], Gen.Int[1, 4 * Max]), Gen.Int)
            .Sample((lines, byteOrderMark, lastLineFeed, maxRead, seed) =>
            {
                byte[] text = Text(lines, byteOrderMark, lastLineFeed);
                var reader = new LineReader(new TrickleStream(text, maxRead, seed));
                foreach (byte[] expected in Oracle(text))
                {
                    Assert.True(reader.TryReadLine(out ReadOnlyMemory<byte> line, out long length));
                    Assert.Equal(expected.Length, length);
                    byte[] shown = expected.Length > Max ? expected[..LineReader.LongLinePrefixBytes] : expected;
                    Assert.True(shown.AsSpan().SequenceEqual(line.Span), $"line of {length} bytes differs");
                }

                Assert.False(reader.TryReadLine(out _, out _));
            }, iter: 30);

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    public void Utf16WithAByteOrderMark_IsReadAsUtf8(string encodingName)
    {
        // Windows PowerShell's > writes UTF-16 with a byte order mark; reads of a pipe may split its characters.
        System.Text.Encoding encoding = System.Text.Encoding.GetEncoding(encodingName);
        string text = "{\"symbol\": \"BTCÜSDT\", \"price\": 1.5}\r\n\n😀 x\r\nlast";
        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];
        foreach (int maxRead in new[] { 1, 3, 4096 })
        {
            var reader = new LineReader(new TrickleStream(bytes, maxRead, seed: maxRead));
            var lines = new List<string>();
            while (reader.TryReadLine(out ReadOnlyMemory<byte> line, out _))
            {
                lines.Add(System.Text.Encoding.UTF8.GetString(line.Span));
            }

            Assert.Equal(["{\"symbol\": \"BTCÜSDT\", \"price\": 1.5}", "", "😀 x", "last"], lines);
        }
    }

    [Fact]
    public void ALineOfGigabytes_IsReadPast_InBoundedMemory()
    {
        // 3 GiB without a line feed, then a short line: a line this long could not even be held in one array.
        const long Long = 3L << 30;
        var reader = new LineReader(new RepeatedByteStream((byte)'[', Long, "\n{}\n"u8.ToArray()));
        Assert.True(reader.TryReadLine(out ReadOnlyMemory<byte> line, out long length));
        Assert.Equal(Long, length);
        Assert.Equal(LineReader.LongLinePrefixBytes, line.Length);
        Assert.True(reader.TryReadLine(out line, out length));
        Assert.Equal("{}"u8.ToArray(), line.ToArray());
        Assert.False(reader.TryReadLine(out _, out _));
    }

    private static byte[] Text((int Length, bool CrLf, int Seed)[] lines, bool byteOrderMark, bool lastLineFeed)
    {
        var text = new List<byte>();
        if (byteOrderMark)
        {
            text.AddRange("\uFEFF"u8);
        }

        for (int i = 0; i < lines.Length; i++)
        {
            var (length, crLf, seed) = lines[i];
            for (int j = 0; j < length; j++)
            {
                text.Add(Alphabet[(int)((uint)(seed + (j * 7919)) % Alphabet.Length)]);
            }

            if (i < lines.Length - 1 || lastLineFeed)
            {
                text.AddRange(crLf ? "\r\n"u8 : "\n"u8);
            }
        }

        return [.. text];
    }

    // The whole text split at line feeds: a byte order mark at the start dropped, one carriage return
    // before each line feed (or the end) dropped, and nothing after a last line feed.
    private static List<byte[]> Oracle(byte[] text)
    {
        ReadOnlySpan<byte> rest = text.AsSpan();
        if (rest.StartsWith("\uFEFF"u8))
        {
            rest = rest[3..];
        }

        var lines = new List<byte[]>();
        while (!rest.IsEmpty)
        {
            int lineFeed = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lineFeed >= 0 ? rest[..lineFeed] : rest;
            lines.Add((line.EndsWith("\r"u8) ? line[..^1] : line).ToArray());
            rest = lineFeed >= 0 ? rest[(lineFeed + 1)..] : default;
        }

        return lines;
    }

    // Hands out its bytes in reads of random sizes up to a bound, as pipes and sockets do.
    private sealed class TrickleStream(byte[] data, int maxRead, int seed) : ReadOnlyTestStream
    {
        private readonly Random _random = new(seed);
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, data.Length - _position), _random.Next(1, maxRead + 1));
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }
    }

    // One byte repeated, then a tail, without holding them: a stream of any length.
    private sealed class RepeatedByteStream(byte value, long repeat, byte[] tail) : ReadOnlyTestStream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            long length = repeat + tail.Length;
            int n = 0;
            while (n < count && _position < length)
            {
                if (_position < repeat)
                {
                    int run = (int)Math.Min(count - n, repeat - _position);
                    buffer.AsSpan(offset + n, run).Fill(value);
                    n += run;
                    _position += run;
                }
                else
                {
                    buffer[offset + n++] = tail[_position++ - repeat];
                }
            }

            return n;
        }
    }
}
