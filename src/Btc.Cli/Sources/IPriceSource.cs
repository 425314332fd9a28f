using Btc.Rx.Records;

namespace Btc.Cli.Sources;

/// <summary>A live stream of prices, stamped with event time, that ends when its duration is over or on cancellation.</summary>
internal interface IPriceSource
{
    /// <summary>One line saying where the prices come from, for the start of a run.</summary>
    string Description { get; }

    /// <summary>Gaps: grid points with no price for a symbol (a poll that failed or came too late).</summary>
    long Gaps { get; }

    /// <summary>One line of counts for the end of a run: requests, failures, invalid answers, gaps.</summary>
    string Describe();

    /// <summary>The prices, in the order they arrive.</summary>
    IAsyncEnumerable<PriceTick> ReadAsync(CancellationToken cancellationToken);
}
