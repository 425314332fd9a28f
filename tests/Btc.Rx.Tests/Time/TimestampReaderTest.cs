using System.Globalization;
using System.Text;
using Btc.Rx.Tests.Support;
using Btc.Rx.Time;
using CsCheck;

namespace Btc.Rx.Tests.Time;

public class TimestampReaderTest
{
    [Fact]
    public void SameMinute_ReadFromTheSecondsAlone_AsEventTimeReadsIt()
    {
        var reader = new TimestampReader();
        Assert.True(reader.TryParse("2026-11-24T10:00:59.999Z"u8, out long first));
        Assert.True(reader.TryParse("2026-11-24T10:00:00.000Z"u8, out long second));
        Assert.False(reader.TryParse("2026-11-24T10:00:60.000Z"u8, out _));
        Assert.True(reader.TryParse("1969-12-31T23:59:30.500Z"u8, out long beforeEpoch));
        Assert.True(reader.TryParse("1969-12-31T23:59:59.999Z"u8, out long lastBeforeEpoch));
        Assert.Equal([T.At(59.999), T.At(0), -29_500, -1], [first, second, beforeEpoch, lastBeforeEpoch]);
    }

    [Fact]
    public void AnySequence_ParsesAsEventTime()
    {
        Gen<string> text =
            from minute in Gen.OneOfConst("2026-11-24T10:00:", "2026-11-24T10:01:", "1969-12-31T23:59:", "0001-01-01T00:00:", "9999-12-31T23:59:", "2026-02-29T10:00:")
            from seconds in Gen.Frequency((8, Gen.Int[0, 59].Select(s => s.ToString("00", CultureInfo.InvariantCulture))), (1, Gen.OneOfConst("60", "5x", "x5", "7", "99")))
            from millis in Gen.Frequency((8, Gen.Int[0, 999].Select(s => s.ToString("000", CultureInfo.InvariantCulture))), (1, Gen.OneOfConst("1", "1000", "x00", "0x0", "00x", "")))
            from zone in Gen.Frequency((8, Gen.Const("Z")), (1, Gen.OneOfConst("z", "+01:00", "-00:30", "", "ZZ")))
            from point in Gen.Frequency((12, Gen.Const(".")), (1, Gen.OneOfConst(",", "")))
            select minute + seconds + point + millis + zone;
        text.Array[1, 30].Sample(texts =>
        {
            var reader = new TimestampReader();
            foreach (string t in texts)
            {
                byte[] utf8 = Encoding.ASCII.GetBytes(t);
                bool expected = EventTime.TryParseUtf8(utf8, out long expectedValue);
                Assert.Equal((expected, expectedValue), (reader.TryParse(utf8, out long value), value));
            }
        }, iter: 3_000);
    }
}
