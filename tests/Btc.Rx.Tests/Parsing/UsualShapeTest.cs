using System.Globalization;
using System.Text;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using CsCheck;

namespace Btc.Rx.Tests.Parsing;

/// <summary>
/// The parser reads the usual record shape without the general JSON reader. Whatever the value, the
/// result (the tick or the reason) must be what the general reader alone gives.
/// </summary>
public class UsualShapeTest
{
    private const string Timestamp = "2026-11-24T10:00:00.100Z";

    [Theory]
    [InlineData("""{"symbol": "BTCUSDT", "price": 97000.0, "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol":"BTCUSDT","price":0.5,"timestamp":"2026-11-24T00:00:00.000Z"}""")]
    [InlineData(" \t{ \"symbol\" :\r\n\"X\" , \"price\" : 7 , \"timestamp\" : \"yesterday\" } \r\n")]
    [InlineData("""{"symbol": " ~!", "price": 0, "timestamp": "x"}""")]
    public void Matches_TheUsualShape(string json) =>
        Assert.True(UsualRecordShape.TryMatch(Encoding.UTF8.GetBytes(json), out _, out _, out _));

    [Theory]
    [InlineData("""{"price": 1, "symbol": "BTCUSDT", "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T00:00:00.000Z", "x": 1}""")]
    [InlineData("""{"symbol": "BTC\u0055SDT", "price": 1, "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "BTCÜSDT", "price": 1, "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "", "price": 1, "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "BTCUSDT", "price": -1, "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 01, "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1., "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1e3, "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "BTCUSDT", "price": "1", "timestamp": "2026-11-24T00:00:00.000Z"}""")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T00:00:00.000Z"} x""")]
    [InlineData("{\"symbol\": \"BTCUSDT\", \"price\": 1, \"timestamp\": \"2026-11-24T00:00:00.000Z\"\u000b}")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T00:00:00.000Z" """)]
    public void DoesNotMatch_OtherShapes(string json) =>
        Assert.False(UsualRecordShape.TryMatch(Encoding.UTF8.GetBytes(json), out _, out _, out _));

    [Fact]
    public void AnyValue_ParsesAsTheGeneralReaderAloneParsesIt()
    {
        int usual = 0, all = 0;
        Lines.Array[1, 12].Sample(lines =>
        {
            // Fresh parsers per sample, each value in turn: the symbol caches see the same sequence.
            var withUsualShape = new PriceRecordParser();
            var generalOnly = new PriceRecordParser(readUsualShape: false);
            foreach (byte[] line in lines)
            {
                Assert.Equal(Describe(generalOnly, line), Describe(withUsualShape, line));
                all++;
                usual += UsualRecordShape.TryMatch(line, out _, out _, out _) ? 1 : 0;
            }
        }, iter: 4_000);

        // The comparison means something only if both kinds of value were generated often.
        Assert.InRange(usual, all / 10, all - (all / 10));
    }

    private static string Describe(PriceRecordParser parser, byte[] line) =>
        parser.TryParse(line, out PriceTick tick, out string? reason)
            ? string.Create(CultureInfo.InvariantCulture, $"{tick.Symbol}|{BitConverter.DoubleToInt64Bits(tick.Price)}|{tick.PriceUnits}|{tick.Timestamp}")
            : "invalid: " + reason;

    private static Gen<string> Pick(params string[] choices) => Gen.OneOfConst(choices);

    private static readonly Gen<string> Space = Gen.Frequency((6, Gen.Const("")), (3, Gen.Const(" ")), (1, Pick("\t", "\r\n", "  ", "\n", "\u000b", "\u00a0")));

    private static readonly Gen<string> Symbol = Gen.Frequency(
        (6, Pick("\"BTCUSDT\"", "\"ETHUSDT\"", "\"X\"", "\" ~!\"")),
        (2, Pick("\"\"", "\"" + new string('A', 64) + "\"", "\"" + new string('A', 65) + "\"", "\"BTC\\u0055SDT\"", "\"A\\nB\"", "\"A\tB\"", "\"BTCÜSDT\"", "\"A\\\"B\"", "\"\u007f\"", "\"\\\\\"", "\"BTC\\ud800\"", "\"\\udc00\\ud800\"")),
        (1, Pick("42", "null", "\"BTCUSDT", "BTCUSDT")));

    private static readonly Gen<string> Price = Gen.Frequency(
        (6, Gen.Long[1, 999_999_999_999_999].Select(units => (units / (decimal)PriceTick.UnitsPerPrice).ToString(CultureInfo.InvariantCulture))),
        (3, Pick("0", "00", "01", "0.5", ".5", "5.", "1e3", "1E+3", "1.5e-3", "-1", "-0", "0.0", "97000.0", "96999.98", "1.123456789", "12345678", "1234567", "0.00000001", "0.000000001", "9999999.99999999", "10000000.5", "1..2", "1.2.3", "0x10")),
        (1, Pick("\"123\"", "null", "true", "1 2")));

    // Mostly in one of a few minutes, so a parser that reads a minute once and then only the seconds is tested too.
    private static readonly Gen<string> UsualTime =
        from minute in Pick("2026-11-24T10:00:", "2026-11-24T10:01:", "1969-12-31T23:59:", "2024-02-29T23:59:")
        from seconds in Gen.Frequency((8, Gen.Int[0, 59].Select(s => s.ToString("00", CultureInfo.InvariantCulture))), (1, Pick("60", "5x", "7", "-1", "99")))
        from millis in Gen.Frequency((8, Gen.Int[0, 999].Select(s => s.ToString("000", CultureInfo.InvariantCulture))), (1, Pick("1", "1000", "x00", "", "0 0")))
        from zone in Gen.Frequency((8, Gen.Const("Z")), (1, Pick("z", "+01:00", "", "Z ")))
        select "\"" + minute + seconds + "." + millis + zone + "\"";

    private static readonly Gen<string> Time = Gen.Frequency(
        (6, Gen.OneOf(UsualTime, Pick("\"" + Timestamp + "\"", "\"2026-11-24T00:00:00.000Z\"", "\"2024-02-29T23:59:59.999Z\""))),
        (3, Pick("\"2026-11-24T00:00:00.1Z\"", "\"2026-11-24T00:00:00+01:00\"", "\"2026-11-24T01:00:00.000+01:00\"", "\"2026-02-30T00:00:00.000Z\"", "\"yesterday\"", "\"\"", "\"2026\\u002d11-24T00:00:00.000Z\"", "\"2026-11-24T00:00:00.000Z\\u0000\"", "\"2026-11-24T00:00:00.000\"")),
        (1, Pick("1732442400000", "null", "\"2026-11-24T00:00:00.000Z")));

    private static readonly Gen<string> Name = Gen.Frequency((12, Gen.Const("")), (1, Pick("Symbol", "sym\\u0062ol", "x", "sym\\ud800bol", "\\udc00")));

    // The three fields, mostly in the usual order, sometimes reordered, repeated, missing or with another beside them.
    private static readonly Gen<string> Object =
        from s1 in Space
        from s2 in Space
        from s3 in Space
        from s4 in Space
        from symbol in Symbol
        from price in Price
        from time in Time
        from renamed in Name
        from layout in Gen.Frequency((10, Gen.Const(0)), (1, Gen.Int[1, 6]))
        from end in Gen.Frequency((10, Gen.Const("}")), (1, Pick("} {}", "}x", "", "}}", "} \r\n", ",}", "]")))
        from start in Gen.Frequency((10, Gen.Const("{")), (1, Pick(" {", "[{", "{{", "\t\n{")))
        select start + s1 + string.Join(s2 + "," + s3, Fields(layout, renamed.Length > 0 ? "\"" + renamed + "\"" : "\"symbol\"", symbol, price, time, s4)) + s1 + end;

    private static IEnumerable<string> Fields(int layout, string symbolName, string symbol, string price, string time, string space)
    {
        string Field(string name, string value) => name + space + ":" + space + value;
        string[] usual = [Field(symbolName, symbol), Field("\"price\"", price), Field("\"timestamp\"", time)];
        return layout switch
        {
            0 => usual,
            1 => [usual[1], usual[0], usual[2]],
            2 => [usual[2], usual[1], usual[0]],
            3 => [.. usual, Field("\"extra\"", "{\"a\": [1, 2]}")],
            4 => [usual[0], usual[1]],
            5 => [.. usual, usual[1]],
            _ => [],
        };
    }

    // Generated objects, and now and then one cut short or with one byte changed.
    private static readonly Gen<byte[]> Lines =
        from json in Object
        from damage in Gen.Frequency((8, Gen.Const(0)), (1, Gen.Const(1)), (1, Gen.Const(2)))
        from position in Gen.Int[0, 1_000]
        from replacement in Gen.OneOfConst((byte)'"', (byte)'\\', (byte)'0', (byte)'.', (byte)',', (byte)' ', (byte)'}', (byte)0, (byte)0xC3, (byte)'e', (byte)'-')
        select Damage(Encoding.UTF8.GetBytes(json), damage, position, replacement);

    private static byte[] Damage(byte[] line, int damage, int position, byte replacement)
    {
        if (line.Length == 0 || damage == 0)
        {
            return line;
        }

        int at = position % line.Length;
        if (damage == 1)
        {
            return line[..at];
        }

        line[at] = replacement;
        return line;
    }
}
