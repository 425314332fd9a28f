namespace Btc.Cli.Kafka;

/// <summary>The pipeline's topic names (SEMANTICS), in pipeline order.</summary>
internal static class Topics
{
    public const string Price = "btc-price";
    public const string Moving = "btc-price-moving";
    public const string ZScore = "btc-price-zscore";
    public const string Higher = "btc-price-higher";
    public const string Lower = "btc-price-lower";
    public const string Rejected = "btc-price-rejected";

    public static IReadOnlyList<string> All { get; } = [Price, Moving, ZScore, Higher, Lower, Rejected];

    /// <summary>What Kafka takes as a topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-', not '.' or '..'.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: >= 1 and <= 249 } and not ("." or "..") && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>
    /// Where the stages keep the idle advances of their watermarks, keyed by consumer group, to make
    /// them again after a restart (<see cref="Stages.IdleAdvanceLog"/>): the stages' own, not the pipeline's.
    /// </summary>
    public const string IdleAdvances = "btc-idle-advances";
}
