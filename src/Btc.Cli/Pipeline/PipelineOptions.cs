using Btc.Rx.Records;

namespace Btc.Cli.Pipeline;

/// <summary>What <c>btc pipeline</c> runs on; validated by the command before the run starts.</summary>
internal sealed class PipelineOptions
{
    /// <summary>The input file of <c>btc-price</c> JSON Lines in arrival order, or <c>-</c> for standard input.</summary>
    public required string Input { get; init; }

    /// <summary>The folder the output files are written to; created when missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Default 10 s.</summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Default 20 s.</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Default 30s, 1m, 5m, 15m, 30m, 1h.</summary>
    public WindowSet Windows { get; init; } = WindowSet.Standard;
}
