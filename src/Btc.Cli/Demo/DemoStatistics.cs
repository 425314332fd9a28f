using System.Diagnostics;
using Btc.Rx.Records;

namespace Btc.Cli.Demo;

/// <summary>
/// What the demo's live view shows, updated by the thread that runs the pipeline and read by the view:
/// per symbol the last price, z-scores and look-ahead windows; per stage the counts. Updates take one
/// short lock; the view copies a snapshot.
/// </summary>
internal sealed class DemoStatistics
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SymbolRow> _symbols = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _watermark = long.MinValue;

    public long Prices { get; private set; }

    public long Accepted { get; private set; }

    public long Late { get; private set; }

    public long Duplicate { get; private set; }

    public long Invalid { get; private set; }

    public long Moving { get; private set; }

    public long ZScores { get; private set; }

    public long Higher { get; private set; }

    public long Lower { get; private set; }

    public long Loaded { get; set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Price(in PriceTick tick)
    {
        lock (_gate)
        {
            Prices++;
            Row(tick.Symbol).Price = tick.Price;
        }
    }

    public void Rejected(long late, long duplicate, long invalid)
    {
        lock (_gate)
        {
            (Late, Duplicate, Invalid) = (late, duplicate, invalid);
        }
    }

    public void MovingRecord()
    {
        lock (_gate)
        {
            Moving++;
            Accepted++;
        }
    }

    public void ZScore(ZScores zscores)
    {
        lock (_gate)
        {
            ZScores++;
            SymbolRow row = Row(zscores.Symbol);
            row.Windows = zscores.Windows;
            row.ZScores = [.. Enumerable.Range(0, zscores.Windows.Count).Select(zscores.Value)];
        }
    }

    public void LookAhead(LookAheadResult result)
    {
        lock (_gate)
        {
            SymbolRow row = Row(result.Symbol);
            if (result.Direction == LookAheadDirection.Higher)
            {
                Higher++;
                row.Higher = result.WindowSeconds;
            }
            else
            {
                Lower++;
                row.Lower = result.WindowSeconds;
            }
        }
    }

    public void Watermark(long watermark) => Interlocked.Exchange(ref _watermark, watermark);

    /// <summary>How far the acceptance watermark is behind the wall clock; null before the first one.</summary>
    public TimeSpan? WatermarkLag
    {
        get
        {
            long watermark = Interlocked.Read(ref _watermark);
            return watermark == long.MinValue ? null : TimeSpan.FromMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - watermark);
        }
    }

    public IReadOnlyList<SymbolRow> Symbols(int max)
    {
        lock (_gate)
        {
            return [.. _symbols.Values.OrderBy(r => r.Symbol, StringComparer.Ordinal).Take(max).Select(r => r with { })];
        }
    }

    public int SymbolCount
    {
        get
        {
            lock (_gate)
            {
                return _symbols.Count;
            }
        }
    }

    private SymbolRow Row(string symbol)
    {
        if (!_symbols.TryGetValue(symbol, out SymbolRow? row))
        {
            _symbols[symbol] = row = new SymbolRow { Symbol = symbol };
        }

        return row;
    }

    /// <summary>One symbol's latest values.</summary>
    internal sealed record SymbolRow
    {
        public required string Symbol { get; init; }

        public double Price { get; set; }

        public WindowSet? Windows { get; set; }

        public double[] ZScores { get; set; } = [];

        public double? Higher { get; set; }

        public double? Lower { get; set; }
    }
}
