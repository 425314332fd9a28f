using System.Runtime.CompilerServices;
using Btc.Rx.Records;

namespace Btc.Cli.Sources;

/// <summary>
/// A seeded random walk per symbol at live pace: on every grid tick one price per symbol, stamped with
/// the grid point, as the Binance poller stamps its answers. For demos and load tests without internet.
/// </summary>
/// <remarks>
/// Grid points are never skipped: a reader slower than the grid (more symbols at a higher rate than
/// the machine can publish) gets every point, later than it was due, and the end-of-run line says how
/// far behind the clock the last one came. The duration and Ctrl+C still end the source on time, at
/// the point it has reached.
/// </remarks>
internal sealed class SyntheticSource(IReadOnlyList<string> symbols, TimeSpan interval, int seed, TimeSpan? duration) : IPriceSource
{
    private long _behindMs;

    public string Description => $"synthetic: a seeded random walk (seed {seed}) of {symbols.Count} symbol(s) every {Btc.Rx.Time.Duration.Format(interval)}";

    public long Gaps => 0;

    /// <summary>Grid points generated so far.</summary>
    public long Points { get; private set; }

    /// <summary>How far behind the clock the last grid point was generated: more than a grid step when the prices are read slower than they are due.</summary>
    public TimeSpan Behind => TimeSpan.FromMilliseconds(Interlocked.Read(ref _behindMs));

    public string Describe() => $"{Points:N0} grid points of {symbols.Count:N0} symbol(s), no gaps"
        + (Behind >= TimeSpan.FromSeconds(1) ? $"; the last came {Behind.TotalSeconds:N1} s after its time: the prices were read slower than they were due" : "");

    public async IAsyncEnumerable<PriceTick> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var walk = new SyntheticPrices(symbols, seed);
        long step = (long)interval.TotalMilliseconds;
        DateTimeOffset end = duration is { } d ? DateTimeOffset.UtcNow + d : DateTimeOffset.MaxValue;
        using var timer = new PeriodicTimer(interval);
        long lastGrid = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / step * step) - step;
        while (!Over())
        {
            // One record per symbol and grid point, stamped with the point. A tick the timer delivered
            // late (a busy machine, a slow reader) still gets every point since the last one, so the
            // stream has no holes; whether to stop is asked at every point, or a reader far behind
            // would keep the source past its duration and Ctrl+C.
            long grid = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / step * step;
            for (long point = lastGrid + step; point <= grid; point += step)
            {
                if (Over())
                {
                    yield break;
                }

                Points++;
                lastGrid = point;
                Interlocked.Exchange(ref _behindMs, Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - point - step));
                foreach (PriceTick tick in walk.At(point))
                {
                    yield return tick;
                }
            }

            try
            {
                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }

        bool Over() => DateTimeOffset.UtcNow >= end || cancellationToken.IsCancellationRequested;
    }
}
