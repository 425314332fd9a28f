using Btc.Cli.Sources;
using Btc.Rx.Records;

namespace Btc.Cli.Tests;

public class PriceChannelTest
{
    [Fact]
    public async Task WorkThatFailsBeforeCompletingTheWriter_EndsTheReadingWithItsException()
    {
        // A trade stream given a duration its timer refused failed this way, and its reader waited for good.
        IAsyncEnumerable<PriceTick> prices = PriceChannel.ReadAsync(_ => Task.Run(() => throw new InvalidOperationException("refused")));
        Task reading = Task.Run(async () =>
        {
            await foreach (PriceTick _ in prices)
            {
            }
        });
        Assert.Same(reading, await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => reading)).Message);
    }

    [Fact]
    public async Task WorkThatEnds_EndsTheReading_AfterEveryPriceItWrote()
    {
        IAsyncEnumerable<PriceTick> prices = PriceChannel.ReadAsync(writer => Task.Run(() =>
        {
            writer.TryWrite(new PriceTick("BTCUSDT", 1, 0));
            writer.TryWrite(new PriceTick("BTCUSDT", 2, 100));
            writer.Complete();
        }));
        var read = new List<double>();
        await foreach (PriceTick price in prices)
        {
            read.Add(price.Price);
        }

        Assert.Equal([1.0, 2.0], read);
    }
}
