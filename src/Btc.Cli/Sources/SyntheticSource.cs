using System.Runtime.CompilerServices;
using Btc.Rx.Records;

namespace Btc.Cli.Sources;

/// <summary>
/// A seeded random walk per symbol at live pace: on every grid tick one price per symbol, stamped with
/// the grid point, as the Binance poller stamps its answers. For demos and load tests without internet.
/// </summary>
internal sealed class SyntheticSource(IReadOnlyList<string> symbols, TimeSpan interval, int seed, TimeSpan? duration) : IPriceSource
{
    public string Description => $"synthetic: a seeded random walk (seed {seed}) of {symbols.Count} symbol(s) every {Btc.Rx.Time.Duration.Format(interval)}";

    public long Gaps => 0;

    /// <summary>Grid points generated so far.</summary>
    public long Points { get; private set; }

    public string Describe() => $"{Points:N0} grid points of {symbols.Count:N0} symbol(s), no gaps";

    public async IAsyncEnumerable<PriceTick> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var walk = new SyntheticPrices(symbols, seed);
        long step = (long)interval.TotalMilliseconds;
        DateTimeOffset end = duration is { } d ? DateTimeOffset.UtcNow + d : DateTimeOffset.MaxValue;
        using var timer = new PeriodicTimer(interval);
        long lastGrid = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / step * step) - step;
        while (DateTimeOffset.UtcNow < end && !cancellationToken.IsCancellationRequested)
        {
            // One record per symbol and grid point, stamped with the point. A tick the timer delivered
            // late (a busy machine) still gets every point since the last one, so the stream has no holes.
            long grid = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / step * step;
            for (long point = lastGrid + step; point <= grid; point += step)
            {
                Points++;
                foreach (PriceTick tick in walk.At(point))
                {
                    yield return tick;
                }
            }

            lastGrid = Math.Max(lastGrid, grid);

            try
            {
                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
