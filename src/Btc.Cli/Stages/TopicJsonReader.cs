using System.Text.Json;
using Btc.Rx.Records;
using Btc.Rx.Time;

namespace Btc.Cli.Stages;

/// <summary>
/// Reads the values of btc-price-moving and btc-price-zscore back into records. The numbers were
/// written as the shortest text that round-trips, so the doubles read are the doubles computed.
/// </summary>
internal sealed class TopicJsonReader
{
    private readonly List<string> _names = [];
    private readonly List<double> _first = [];
    private readonly List<double> _second = [];
    private WindowSet? _windows;

    /// <summary>Reads <c>{"timestamp", "symbol", "windows": [{"window", "avg_price", "std_price"}…]}</c>.</summary>
    public bool TryReadMoving(ReadOnlySpan<byte> utf8, out MovingStatistics? statistics)
    {
        statistics = null;
        if (!TryRead(utf8, "windows"u8, "avg_price"u8, "std_price"u8, out string? symbol, out long timestamp))
        {
            return false;
        }

        statistics = new MovingStatistics(symbol!, timestamp, _windows!, [.. _first], [.. _second]);
        return true;
    }

    /// <summary>Reads <c>{"timestamp", "symbol", "zscores": [{"window", "zscore_price"}…]}</c>.</summary>
    public bool TryReadZScores(ReadOnlySpan<byte> utf8, out ZScores? zscores)
    {
        zscores = null;
        if (!TryRead(utf8, "zscores"u8, "zscore_price"u8, default, out string? symbol, out long timestamp))
        {
            return false;
        }

        zscores = new ZScores(symbol!, timestamp, _windows!, [.. _first]);
        return true;
    }

    private bool TryRead(ReadOnlySpan<byte> utf8, ReadOnlySpan<byte> arrayName, ReadOnlySpan<byte> firstName, ReadOnlySpan<byte> secondName, out string? symbol, out long timestamp)
    {
        symbol = null;
        timestamp = 0;
        bool hasTimestamp = false;
        bool hasArray = false;
        _names.Clear();
        _first.Clear();
        _second.Clear();
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("timestamp"u8))
                {
                    reader.Read();
                    hasTimestamp = reader.TokenType == JsonTokenType.String && EventTime.TryParseUtf8(reader.ValueSpan, out timestamp);
                }
                else if (reader.ValueTextEquals("symbol"u8))
                {
                    reader.Read();
                    symbol = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals(arrayName))
                {
                    reader.Read();
                    hasArray = ReadWindows(ref reader, firstName, secondName);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!hasTimestamp || !hasArray || string.IsNullOrEmpty(symbol) || _names.Count == 0)
            {
                return false;
            }

            string names = string.Join(",", _names);
            if (_windows?.ToString() != names)
            {
                // A name that is empty or holds a comma would make the list parse into another number
                // of windows than the values read.
                WindowSet windows = WindowSet.Parse(names);
                if (windows.Count != _names.Count)
                {
                    return false;
                }

                _windows = windows;
            }

            return true;
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            return false;
        }
    }

    private bool ReadWindows(ref Utf8JsonReader reader, ReadOnlySpan<byte> firstName, ReadOnlySpan<byte> secondName)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? name = null;
            double? first = null;
            double? second = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("window"u8))
                {
                    reader.Read();
                    name = reader.GetString();
                }
                else if (reader.ValueTextEquals(firstName))
                {
                    reader.Read();
                    first = reader.GetDouble();
                }
                else if (!secondName.IsEmpty && reader.ValueTextEquals(secondName))
                {
                    reader.Read();
                    second = reader.GetDouble();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (name is null || first is null || (!secondName.IsEmpty && second is null))
            {
                return false;
            }

            // JSON numbers can overflow to infinity (1e400), and no record holds one: an infinite mean
            // would make a z-score no serializer can write. A standard deviation is never negative.
            if (!double.IsFinite(first.Value) || !double.IsFinite(second ?? 0) || second < 0)
            {
                return false;
            }

            _names.Add(name);
            _first.Add(first.Value);
            _second.Add(second ?? 0);
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }
}
