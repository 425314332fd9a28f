using Microsoft.Extensions.Logging;

namespace Btc.Cli.Stages;

/// <summary>
/// Tells the user when a second process of the stage runs in its consumer group. Nothing in Kafka
/// stops one, as a stage's input is assigned rather than shared out by the group, and it sends every
/// output again: the topics get each record twice. Seen from the offsets the group holds, which the
/// other process moves between this one's commits.
/// </summary>
internal sealed class SharedGroupWatch(StageInput input, string groupId, ILogger logger)
{
    // Each look is a round trip to the group coordinator; once every ten commits costs next to nothing.
    private const int CommitsPerLook = 10;
    private long _commits;
    private bool _reported;

    /// <summary>
    /// Call before each commit: the offsets another process committed since this one's last commit are
    /// still there to see. Says so once.
    /// </summary>
    public void BeforeCommit()
    {
        if (_reported || ++_commits % CommitsPerLook != 0 || input.CommittedByAnotherProcess() is not var (partition, theirs, ours))
        {
            return;
        }

        _reported = true;
        logger.LogWarning(
            "another process commits offsets in consumer group {Group} ({Partition} is at {Theirs}, where this process left {Ours}): two processes of one stage in one group each send every output, so its topics get each record twice; stop one, or give each its own --group-id",
            groupId, partition, theirs, ours < 0 ? "no offset" : ours.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
