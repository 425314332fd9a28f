using System.Text;
using Btc.Rx.Parsing;
using Btc.Rx.Records;
using Btc.Rx.Tests.Support;

namespace Btc.Rx.Tests.Parsing;

public class PriceRecordParserTest
{
    private readonly PriceRecordParser _parser = new();

    [Fact]
    public void Parse_Regular()
    {
        Assert.True(_parser.TryParse("""{"symbol": "BTCUSDT", "price": 104235.12, "timestamp": "2026-11-24T10:00:00.100Z"}"""u8, out PriceTick tick, out string? reason));
        Assert.Null(reason);
        Assert.Equal("BTCUSDT", tick.Symbol);
        Assert.Equal(104235.12, tick.Price);
        Assert.Equal(10_423_512_000_000, tick.PriceUnits);
        Assert.Equal(T.At(0.1), tick.Timestamp);
    }

    [Theory]
    [InlineData("""{"timestamp": "2026-11-24T10:00:00.100Z", "price": 1, "symbol": "ETHUSDT"}""", "ETHUSDT", 1.0, 100_000_000)]
    [InlineData("""{"symbol": "ETHUSDT", "price": 3500.5, "timestamp": "2026-11-24T10:00:00.100Z", "extra": {"a": [1, 2]}}""", "ETHUSDT", 3500.5, 350_050_000_000)]
    [InlineData("""{"symbol": "X", "price": 1.5e3, "timestamp": "2026-11-24T10:00:00.100Z"}""", "X", 1500.0, 150_000_000_000)]
    [InlineData("""{"symbol": "X", "price": 0.000000015, "timestamp": "2026-11-24T10:00:00.100Z"}""", "X", 0.000000015, 2)]
    [InlineData("""{"symbol": "X", "price": 0.000000025, "timestamp": "2026-11-24T10:00:00.100Z"}""", "X", 0.000000025, 2)]
    [InlineData("""{"symbol": "X", "price": 9682.190000000001, "timestamp": "2026-11-24T10:00:00.100Z"}""", "X", 9682.190000000001, 968_219_000_000)]
    [InlineData("""{"symbol": "X", "price": 123456789.12345678, "timestamp": "2026-11-24T10:00:00.100Z"}""", "X", 123456789.12345678, 12_345_678_912_345_678)]
    [InlineData("""{"symbol": "\u0042TC", "price": 2, "timestamp": "2026-11-24T10:00:00.100Z"}""", "BTC", 2.0, 200_000_000)]
    public void Parse_Variants(string json, string symbol, double price, long units)
    {
        Assert.True(_parser.TryParse(Encoding.UTF8.GetBytes(json), out PriceTick tick, out string? reason), reason);
        Assert.Equal(symbol, tick.Symbol);
        Assert.Equal(price, tick.Price);
        Assert.Equal(units, tick.PriceUnits);
    }

    [Theory]
    [InlineData("not json", "malformed JSON")]
    [InlineData("", "empty value")]
    [InlineData("  ", "empty value")]
    [InlineData("\t\r\n ", "empty value")]
    [InlineData("\n", "empty value")]
    [InlineData(" x", "malformed JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("\"text\"", "not a JSON object")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z" """, "malformed JSON")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"} {}""", "trailing content after the JSON object")]
    [InlineData("""{"price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""", "missing field symbol")]
    [InlineData("""{"symbol": "BTCUSDT", "timestamp": "2026-11-24T10:00:00.100Z"}""", "missing field price")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1}""", "missing field timestamp")]
    [InlineData("""{"symbol": 42, "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""", "symbol must be a string")]
    [InlineData("""{"symbol": null, "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""", "symbol must be a string")]
    [InlineData("""{"symbol": "", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""", "symbol is empty")]
    [InlineData("""{"symbol": "A\nB", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""", "symbol contains a control character")]
    [InlineData("""{"symbol": "BTCUSDT", "symbol": "ETHUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""", "duplicate field symbol")]
    [InlineData("""{"symbol": "BTCUSDT", "price": "abc", "timestamp": "2026-11-24T10:00:00.100Z"}""", "price must be a JSON number")]
    [InlineData("""{"symbol": "BTCUSDT", "price": "104235.12", "timestamp": "2026-11-24T10:00:00.100Z"}""", "price must be a JSON number")]
    [InlineData("""{"symbol": "BTCUSDT", "price": null, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price must be a JSON number")]
    [InlineData("""{"symbol": "BTCUSDT", "price": -1, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price must be greater than 0")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 0, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price must be greater than 0")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 0.0, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price must be greater than 0")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1e400, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price is not a finite number")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1e11, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price is larger than 92233720368.54775807")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 0.000000001, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price is smaller than 0.000000005")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1e-320, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price is smaller than 0.000000005")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1e-30, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price is smaller than 0.000000005")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1e300, "timestamp": "2026-11-24T10:00:00.100Z"}""", "price is larger than 92233720368.54775807")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "price": 2, "timestamp": "2026-11-24T10:00:00.100Z"}""", "duplicate field price")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": 1732442400000}""", "timestamp must be a string")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "yesterday"}""", "timestamp is not ISO 8601 with an offset (for example 2026-11-24T10:52:14.100Z)")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.100"}""", "timestamp is not ISO 8601 with an offset (for example 2026-11-24T10:52:14.100Z)")]
    [InlineData("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z", "timestamp": "2026-11-24T10:00:00.200Z"}""", "duplicate field timestamp")]
    [InlineData("""{"sym\ud800bol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""", "malformed JSON: a name or string that is not Unicode text")]
    public void Parse_Invalid(string json, string expectedReason)
    {
        Assert.False(_parser.TryParse(Encoding.UTF8.GetBytes(json), out _, out string? reason));
        Assert.Equal(expectedReason, reason);
    }

    [Fact]
    public void Parse_LongSymbol_IsInvalid()
    {
        string json = $$"""{"symbol": "{{new string('A', 65)}}", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""";
        Assert.False(_parser.TryParse(Encoding.UTF8.GetBytes(json), out _, out string? reason));
        Assert.Equal("symbol is longer than 64 characters", reason);
    }

    [Fact]
    public void Parse_SymbolThatIsNotUtf8_IsInvalid()
    {
        byte[] json = [.. "{\"symbol\": \"BT"u8, 0xFF, 0xFE, .. "C\", \"price\": 1, \"timestamp\": \"2026-11-24T10:00:00.100Z\"}"u8];
        Assert.False(_parser.TryParse(json, out _, out string? reason));
        Assert.Equal("symbol is not valid UTF-8", reason);
    }

    [Fact]
    public void Parse_EscapedTimestampThatIsNotUtf8_IsInvalid()
    {
        // The reader checks a string's bytes only when it unescapes it: this once threw out of TryParse.
        byte[] json = [.. "{\"symbol\": \"X\", \"price\": 1, \"timestamp\": \"2026\\u002d11-24T00:00:00.000Z"u8, 0xC3, .. "\"}"u8];
        Assert.False(_parser.TryParse(json, out _, out string? reason));
        Assert.Equal("timestamp is not ISO 8601 with an offset (for example 2026-11-24T10:52:14.100Z)", reason);
    }

    [Fact]
    public void Parse_ReusesSymbolStrings()
    {
        _parser.TryParse("""{"symbol": "BTCUSDT", "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}"""u8, out PriceTick first, out _);
        _parser.TryParse("""{"symbol": "BTCUSDT", "price": 2, "timestamp": "2026-11-24T10:00:00.200Z"}"""u8, out PriceTick second, out _);
        Assert.Same(first.Symbol, second.Symbol);
    }

    [Fact]
    public void Parse_RepeatedSymbol_EscapedOrNot_AndInvalidOnesAfterIt()
    {
        string Symbol(string json) =>
            _parser.TryParse(Encoding.UTF8.GetBytes(json), out PriceTick tick, out string? reason) ? tick.Symbol : "invalid: " + reason;
        string Line(string symbolJson) => $$"""{"symbol": {{symbolJson}}, "price": 1, "timestamp": "2026-11-24T10:00:00.100Z"}""";

        string btc = Symbol(Line("\"BTCUSDT\""));
        Assert.Same(btc, Symbol(Line("\"BTCUSDT\"")));
        Assert.Same(btc, Symbol(Line("\"BTC\\u0055SDT\"")));
        Assert.Equal("ETHUSDT", Symbol(Line("\"ETHUSDT\"")));
        Assert.Same(btc, Symbol(Line("\"BTCUSDT\"")));
        Assert.Equal("invalid: symbol is empty", Symbol(Line("\"\"")));
        Assert.Equal("invalid: symbol must be a string", Symbol(Line("7")));
        Assert.Same(btc, Symbol(Line("\"BTCUSDT\"")));
    }

    [Fact]
    public void FastAndGeneralPricePaths_Agree()
    {
        var random = new Random(3);
        for (int i = 0; i < 50_000; i++)
        {
            long units = random.NextInt64(1, 9_000_000_000_000_000);
            string text = (units / (decimal)PriceTick.UnitsPerPrice).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(_parser.TryParse(Encoding.UTF8.GetBytes($$"""{"symbol": "X", "price": {{text}}, "timestamp": "2026-11-24T10:00:00.100Z"}"""), out PriceTick tick, out _));
            Assert.Equal(units, tick.PriceUnits);
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), tick.Price);
        }
    }
}
