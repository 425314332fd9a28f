using System.Buffers;
using System.Globalization;
using System.Text;
using Btc.Rx.Serialization;

namespace Btc.Rx.Tests.Serialization;

public class JsonTextTest
{
    // Expected strings are Python's repr(float), which json.dumps writes.
    [Theory]
    [InlineData(104235.12, "104235.12")]
    [InlineData(20.0, "20.0")]
    [InlineData(0.3, "0.3")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1.3, "1.3")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.000123, "0.000123")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1.5e-07, "1.5e-07")]
    [InlineData(123456789.0, "123456789.0")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e22, "1e+22")]
    [InlineData(12345678901234567890.0, "1.2345678901234567e+19")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(5e-323, "5e-323")]
    [InlineData(2.9802322387695312e-08, "2.9802322387695312e-08")] // 2^-25, where .NET's "R" has 16 digits that do not round-trip
    [InlineData(4.1045368012983762e-289, "4.1045368012983762e-289")] // 2^-958, likewise
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(100.66666666666667, "100.66666666666667")]
    [InlineData(-1.2777777777777526, "-1.2777777777777526")]
    public void WriteNumber_PythonRepr(double value, string expected) => Assert.Equal(expected, Write(w => JsonText.WriteNumber(w, value)));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void WriteNumber_NeverWritesNaNOrInfinity(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Write(w => JsonText.WriteNumber(w, value)));

    [Fact]
    public void WriteNumber_RoundTripsWithShortestDigits()
    {
        var random = new Random(11);
        for (int i = 0; i < 200_000; i++)
        {
            double value = i % 2 == 0
                ? BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FF0_0000_0000_0000)) * (random.Next(2) == 0 ? 1 : -1)
                : Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-6, 18)), random.Next(0, 9));
            string text = Write(w => JsonText.WriteNumber(w, value));
            Assert.Equal(value, double.Parse(text, CultureInfo.InvariantCulture));
            Assert.Equal(SignificantDigits(value.ToString("R", CultureInfo.InvariantCulture)), SignificantDigits(text));
        }
    }

    [Fact]
    public void Seconds_FromWholeMilliseconds_AreTheNumbersOwnText()
    {
        // Look-ahead windows are written from integer milliseconds without the shortest-digits
        // search; the text must be what the general number form gives for ms / 1000.0.
        var random = new Random(3);
        IEnumerable<long> samples = Enumerable.Range(0, 120_001).Select(i => (long)i)
            .Concat(Enumerable.Range(0, 20_000).Select(_ => random.NextInt64(0, 2_000_000_000_000_000)))
            .Concat([-1, -1500, 999_999_999_999_999, 1_000_000_000_000_000, long.MaxValue, long.MinValue]);
        byte[] seconds = new byte[64];
        byte[] number = new byte[64];
        foreach (long ms in samples)
        {
            var writer = new JsonSpanWriter(seconds);
            writer.Seconds(ms);
            int length = JsonText.FormatNumber(ms / 1000.0, number);
            Assert.True(number.AsSpan(0, length).SequenceEqual(seconds.AsSpan(0, writer.Written)), $"{ms} ms: {Encoding.ASCII.GetString(seconds, 0, writer.Written)}");
        }
    }

    [Fact]
    public void FormatNumber_FitsExactlyTheBytesItNeeds()
    {
        // Long fractions are moved with one 16-byte store when there is room past the number; a
        // destination with no room must give the same text.
        var random = new Random(7);
        byte[] roomy = new byte[64];
        for (int i = 0; i < 20_000; i++)
        {
            double value = (i % 3) switch
            {
                0 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 17)),
                1 => 97_000 + random.NextDouble(),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FF0_0000_0000_0000)),
            };
            int length = JsonText.FormatNumber(value, roomy);
            byte[] exact = new byte[length];
            byte[] bound = new byte[JsonText.MaxNumberBytes];
            Assert.Equal(length, JsonText.FormatNumber(value, exact));
            Assert.Equal(length, JsonText.FormatNumber(value, bound));
            Assert.Equal(roomy[..length], exact);
            Assert.Equal(roomy[..length], bound[..length]);
        }
    }

    [Theory]
    [InlineData("BTCUSDT", "\"BTCUSDT\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("line\nbreak\ttab", "\"line\\nbreak\\ttab\"")]
    [InlineData("\u0001", "\"\\u0001\"")]
    [InlineData("é€", "\"\\u00e9\\u20ac\"")]
    [InlineData("😀", "\"\\ud83d\\ude00\"")]
    [InlineData("\u007f", "\"\u007f\"")]
    public void WriteString_EscapesLikePython(string value, string expected) => Assert.Equal(expected, Write(w => JsonText.WriteString(w, value)));

    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // The significant digits of a number's text (no sign, point, exponent or outer zeros): ours must
    // be .NET's shortest round-trip digits, only laid out as Python does.
    private static string SignificantDigits(string text) =>
        text.Split('E', 'e')[0].Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Trim('0');
}
