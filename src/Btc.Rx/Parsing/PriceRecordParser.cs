using System.Buffers;
using System.Text;
using System.Text.Json;
using Btc.Rx.Records;
using Btc.Rx.Time;

namespace Btc.Rx.Parsing;

/// <summary>
/// Parses and validates <c>btc-price</c> values (UTF-8 JSON) into <see cref="PriceTick"/>s.
/// </summary>
/// <remarks>
/// A value is valid when it is one JSON object with a string <c>symbol</c> (1 to 64 characters, no
/// control characters), a JSON-number <c>price</c> that is finite, greater than 0 and at most
/// <see cref="PriceTick.MaxPrice"/>, and a string <c>timestamp</c> in ISO 8601 with an offset.
/// Fields may come in any order; unknown fields are ignored; a repeated field is invalid.
/// An instance caches symbol strings, so it is not thread-safe: use one per stream.
/// </remarks>
public sealed class PriceRecordParser
{
    /// <summary>The longest symbol accepted, in characters.</summary>
    public const int MaxSymbolLength = 64;

    private const int MaxCachedSymbols = 100_000;
    private readonly Dictionary<string, string> _symbols = new(StringComparer.Ordinal);
    private readonly byte[] _lastSymbolUtf8 = new byte[MaxSymbolLength * 6];
    private string? _lastSymbol;
    private int _lastSymbolLength;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _symbolLookup;
    private readonly bool _readUsualShape;
    private readonly TimestampReader _timestamps = new();

    /// <summary>Creates a parser.</summary>
    public PriceRecordParser()
        : this(readUsualShape: true)
    {
    }

    /// <summary>Creates a parser; without <paramref name="readUsualShape"/> every value goes through the general JSON reader (tests compare the two).</summary>
    internal PriceRecordParser(bool readUsualShape)
    {
        _readUsualShape = readUsualShape;
        _symbolLookup = _symbols.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Parses one value.</summary>
    /// <param name="utf8">The value, UTF-8 JSON.</param>
    /// <param name="tick">The tick, when valid.</param>
    /// <param name="reason">Why the value is invalid, when it is.</param>
    /// <returns><see langword="true"/> when the value is a valid <c>btc-price</c> record.</returns>
    public bool TryParse(ReadOnlySpan<byte> utf8, out PriceTick tick, out string? reason)
    {
        tick = default;
        try
        {
            return TryParseCore(utf8, out tick, out reason);
        }
        catch (JsonException)
        {
            reason = "malformed JSON";
            return false;
        }
        catch (InvalidOperationException)
        {
            // The reader checks a name's or a string's text only when it unescapes or compares it:
            // bytes that are not UTF-8, or an escape of half a surrogate pair (\ud800), end up here.
            reason = "malformed JSON: a name or string that is not Unicode text";
            return false;
        }
    }

    private bool TryParseCore(ReadOnlySpan<byte> utf8, out PriceTick tick, out string? reason)
    {
        // Nearly every value has the usual shape: read without the general JSON reader it takes about
        // a third of the time (92 against 287 ns a line in process, 2026-11-27).
        reason = null;
        tick = default;
        if (_readUsualShape && TryParseUsual(utf8, out tick))
        {
            return true;
        }

        // A record starts with '{': only a value starting with white space needs the trim to tell it from an empty one.
        if (utf8.IsEmpty || (utf8[0] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' && utf8.Trim(" \t\r\n"u8).IsEmpty))
        {
            return Fail("empty value", out reason);
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reason = "not a JSON object";
            return false;
        }

        string? symbol = null;
        double price = 0;
        long units = 0;
        long timestamp = 0;
        bool hasPrice = false, hasTimestamp = false;
        reason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("symbol"u8))
            {
                reader.Read();
                if (symbol is not null)
                {
                    return Fail("duplicate field symbol", out reason);
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return Fail("symbol must be a string", out reason);
                }

                symbol = ReadSymbol(ref reader, out reason);
                if (symbol is null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                reader.Read();
                if (hasPrice)
                {
                    return Fail("duplicate field price", out reason);
                }

                if (reader.TokenType != JsonTokenType.Number)
                {
                    return Fail("price must be a JSON number", out reason);
                }

                if (!TryReadPrice(ref reader, out price, out units, out reason))
                {
                    return false;
                }

                hasPrice = true;
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                if (hasTimestamp)
                {
                    return Fail("duplicate field timestamp", out reason);
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return Fail("timestamp must be a string", out reason);
                }

                if (!TryReadTimestamp(ref reader, out timestamp))
                {
                    return Fail("timestamp is not ISO 8601 with an offset (for example 2026-11-24T10:52:14.100Z)", out reason);
                }

                hasTimestamp = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return Fail("malformed JSON", out reason);
        }

        // One value per record: anything after the object other than white space is an error.
        try
        {
            if (reader.Read())
            {
                return Fail("trailing content after the JSON object", out reason);
            }
        }
        catch (JsonException)
        {
            return Fail("trailing content after the JSON object", out reason);
        }

        if (symbol is null)
        {
            return Fail("missing field symbol", out reason);
        }

        if (!hasPrice)
        {
            return Fail("missing field price", out reason);
        }

        if (!hasTimestamp)
        {
            return Fail("missing field timestamp", out reason);
        }

        tick = new PriceTick(symbol, price, units, timestamp);
        return true;
    }

    // The usual shape's values, converted as the general path would; false (for the general path to
    // decide, with its reason) when the shape differs or a value is not valid.
    private bool TryParseUsual(ReadOnlySpan<byte> utf8, out PriceTick tick)
    {
        tick = default;
        if (!UsualRecordShape.TryMatch(utf8, out Range symbolRange, out Range priceRange, out Range timestampRange)
            || !TryReadPlainDecimal(utf8[priceRange], out long units) || units <= 0
            || !_timestamps.TryParse(utf8[timestampRange], out long timestamp))
        {
            return false;
        }

        tick = new PriceTick(AsciiSymbol(utf8[symbolRange]), units / (double)PriceTick.UnitsPerPrice, units, timestamp);
        return true;
    }

    // Printable ASCII of 1 to 64 bytes, so a valid symbol as it is.
    private string AsciiSymbol(ReadOnlySpan<byte> ascii)
    {
        if (_lastSymbol is not null && ascii.SequenceEqual(_lastSymbolUtf8.AsSpan(0, _lastSymbolLength)))
        {
            return _lastSymbol;
        }

        Span<char> chars = stackalloc char[MaxSymbolLength];
        int length = Encoding.ASCII.GetChars(ascii, chars);
        string symbol = Intern(chars[..length]);
        RememberLast(ascii, symbol);
        return symbol;
    }

    private static bool Fail(string why, out string? reason)
    {
        reason = why;
        return false;
    }

    private string? ReadSymbol(ref Utf8JsonReader reader, out string? reason)
    {
        // Most lines repeat the last line's symbol: the same unescaped bytes are the same, already
        // validated, string, without transcoding or a lookup.
        if (!reader.ValueIsEscaped && _lastSymbol is not null && reader.ValueSpan.SequenceEqual(_lastSymbolUtf8.AsSpan(0, _lastSymbolLength)))
        {
            reason = null;
            return _lastSymbol;
        }

        string? symbol = ReadNewSymbol(ref reader, out reason);
        if (symbol is not null && !reader.ValueIsEscaped)
        {
            RememberLast(reader.ValueSpan, symbol);
        }

        return symbol;
    }

    private void RememberLast(ReadOnlySpan<byte> utf8, string symbol)
    {
        // Into a buffer kept for it: input that alternates symbols changes the last one every line.
        // A valid symbol's bytes fit, as longer values are refused before.
        utf8.CopyTo(_lastSymbolUtf8);
        _lastSymbolLength = utf8.Length;
        _lastSymbol = symbol;
    }

    private string Intern(ReadOnlySpan<char> symbol)
    {
        if (_symbolLookup.TryGetValue(symbol, out string? cached))
        {
            return cached;
        }

        string value = symbol.ToString();
        if (_symbols.Count < MaxCachedSymbols)
        {
            _symbols[value] = value;
        }

        return value;
    }

    private string? ReadNewSymbol(ref Utf8JsonReader reader, out string? reason)
    {
        // An escape (six bytes) is the most one character takes, so a longer value is too long a symbol.
        if (reader.ValueSpan.Length > MaxSymbolLength * 6)
        {
            reason = "symbol is longer than 64 characters";
            return null;
        }

        Span<char> chars = stackalloc char[MaxSymbolLength * 6];
        int written;
        try
        {
            // Unescapes and transcodes in one step, and refuses bytes that are not UTF-8 (a decoder
            // would quietly turn them into U+FFFD and accept a symbol nobody sent).
            written = reader.CopyString(chars);
        }
        catch (InvalidOperationException)
        {
            reason = "symbol is not valid UTF-8";
            return null;
        }

        ReadOnlySpan<char> text = chars[..written];
        if (!IsValidSymbol(text, out reason))
        {
            return null;
        }

        return Intern(text);
    }

    private static bool IsValidSymbol(ReadOnlySpan<char> symbol, out string? reason)
    {
        reason = null;
        if (symbol.IsEmpty)
        {
            reason = "symbol is empty";
        }
        else if (symbol.Length > MaxSymbolLength)
        {
            reason = "symbol is longer than 64 characters";
        }
        else if (symbol.ContainsAnyInRange('\0', '\u001f'))
        {
            reason = "symbol contains a control character";
        }

        return reason is null;
    }

    private static bool TryReadTimestamp(ref Utf8JsonReader reader, out long timestamp)
    {
        if (!reader.ValueIsEscaped)
        {
            return EventTime.TryParseUtf8(reader.ValueSpan, out timestamp);
        }

        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Unescaping found bytes that are not UTF-8 (the reader checks them only then): no timestamp.
            timestamp = 0;
            return false;
        }

        return EventTime.TryParseUtf8(Encoding.UTF8.GetBytes(text), out timestamp);
    }

    private static bool TryReadPrice(ref Utf8JsonReader reader, out double price, out long units, out string? reason)
    {
        reason = null;
        if (!reader.HasValueSequence && TryReadPlainDecimal(reader.ValueSpan, out units))
        {
            // Exact: units < 2^53 and the text had at most eight decimals, so one IEEE division
            // gives the correctly rounded double, as double.Parse would.
            price = units / (double)PriceTick.UnitsPerPrice;
            return units > 0 || Fail("price must be greater than 0", out reason);
        }

        units = 0;
        if (!reader.TryGetDouble(out price) || !double.IsFinite(price))
        {
            return Fail("price is not a finite number", out reason);
        }

        if (price <= 0)
        {
            return Fail("price must be greater than 0", out reason);
        }

        if (!reader.TryGetDecimal(out decimal exact) || !PriceTick.TryToUnits(exact, out units))
        {
            // A decimal holds neither 1e-320 nor 1e300, so without one the double tells which end.
            bool tooSmall = exact > 0 ? exact <= PriceTick.MaxPrice : price < (double)PriceTick.MaxPrice;
            return Fail(tooSmall
                ? "price is smaller than 0.000000005"
                : "price is larger than 92233720368.54775807", out reason);
        }

        return true;
    }

    // Digits with an optional fraction of at most eight digits, below 2^53 units: what Binance sends.
    private static bool TryReadPlainDecimal(ReadOnlySpan<byte> text, out long units)
    {
        units = 0;
        int i = 0;
        long value = 0;
        int integerDigits = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            value = (value * 10) + (text[i] - '0');
            i++;
            if (++integerDigits > 7)
            {
                return false;
            }
        }

        int fractionDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                if (++fractionDigits > 8)
                {
                    return false;
                }

                value = (value * 10) + (text[i] - '0');
                i++;
            }
        }

        if (i != text.Length || integerDigits == 0)
        {
            return false;
        }

        for (; fractionDigits < 8; fractionDigits++)
        {
            value *= 10;
        }

        units = value;
        return true;
    }
}
