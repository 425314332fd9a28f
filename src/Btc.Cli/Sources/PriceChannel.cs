using System.Threading.Channels;
using Btc.Rx.Records;

namespace Btc.Cli.Sources;

/// <summary>
/// The prices a source's background work writes, read in arrival order: the work runs elsewhere
/// (a grid thread, a socket loop) and completes the writer when it ends, which ends the reading; work
/// that fails ends the reading with its exception.
/// </summary>
internal static class PriceChannel
{
    public static async IAsyncEnumerable<PriceTick> ReadAsync(Func<ChannelWriter<PriceTick>, Task> start)
    {
        var channel = Channel.CreateUnbounded<PriceTick>(new UnboundedChannelOptions { SingleReader = true });
        Task running = start(channel.Writer);
        // Work that fails before it completes the writer (a setting its timers refuse) would otherwise
        // leave the reading waiting for good, saying nothing.
        _ = running.ContinueWith(work => channel.Writer.TryComplete(work.Exception?.InnerException), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        await foreach (PriceTick tick in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            yield return tick;
        }

        await running.ConfigureAwait(false);
    }
}
