using System.CommandLine;
using System.Runtime.InteropServices;
using Btc.Cli.Kafka;

namespace Btc.Cli.Commands;

/// <summary><c>btc broker</c>: librdkafka's mock cluster as a local development broker.</summary>
internal static class BrokerCommand
{
    public static Command Create()
    {
        var partitions = new Option<int>("--partitions")
        {
            HelpName = "N",
            Description = "Partitions of each pipeline topic.",
            DefaultValueFactory = _ => 1,
        };
        var brokers = new Option<int>("--brokers")
        {
            HelpName = "N",
            Description = "Brokers in the cluster (topics are replicated on up to three).",
            DefaultValueFactory = _ => 1,
        };
        partitions.Check(count => count is >= 1 and <= 1000, "--partitions must be 1 to 1000.");
        brokers.Check(count => count is >= 1 and <= 16, "--brokers must be 1 to 16.");

        var command = new Command(
            "broker",
            """
            Run a local Kafka-protocol broker for trying the pipeline with no Kafka installed: librdkafka's
            mock cluster on 127.0.0.1, with the pipeline's topics and btc-idle-advances (where the stages
            keep their idle advances) created. The first line printed is
            bootstrap.servers=127.0.0.1:PORT; it runs until Ctrl+C.

            It keeps data in memory only (about 5 MB per partition, older records are dropped), does not
            implement every Kafka API (no CreateTopics, no offsets by timestamp), and is NOT for production.

            Example:
              ./btc broker --partitions 3
            """)
        {
            partitions, brokers,
        };

        command.SetCancellableAction(async (parseResult, cancellationToken) =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            using var cluster = new MockCluster(parseResult.GetValue(brokers));
            string[] topics = [.. Topics.All, Topics.IdleAdvances];
            foreach (string topic in topics)
            {
                cluster.CreateTopic(topic, parseResult.GetValue(partitions), replicationFactor: 3);
            }

            output.WriteLine($"bootstrap.servers={cluster.BootstrapServers}");
            output.WriteLine($"topics: {string.Join(", ", topics)} ({parseResult.GetValue(partitions)} partition(s) each); in memory only, not for production; Ctrl+C stops");
            output.Flush();

            // SIGTERM (docker stop, kill) ends the broker as cleanly as Ctrl+C does.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped by Ctrl+C or SIGTERM.
            }

            return 0;
        });
        return command;
    }
}
