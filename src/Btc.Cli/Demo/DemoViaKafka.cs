using System.Globalization;
using Btc.Cli.Kafka;
using Btc.Cli.Mongo;
using Microsoft.Extensions.Logging;

namespace Btc.Cli.Demo;

/// <summary>
/// <c>btc demo --via-kafka</c>: the same run as separate processes — a development broker (unless
/// one is given), extract, moving, zscore, bonus and (with MongoDB) load — with the live view fed from
/// the topics. When the source's duration ends (or Ctrl+C comes) extract stops, the stages finish
/// what their idle timeout makes final, and every child is stopped; none is left behind.
/// </summary>
internal static class DemoViaKafka
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(DemoOptions options, TextWriter output, ILogger logger, CancellationToken cancellationToken)
    {
        string logs = Path.Combine(options.OutputDirectory, "logs");
        Directory.CreateDirectory(logs);
        var children = new List<ChildProcess>();
        try
        {
            string bootstrap;
            if (options.BootstrapServers is { } given)
            {
                // Every child would wait on a cluster that is not there, and the demo with them, in silence.
                if (!ClusterProbe.Answers(new KafkaSettings { BootstrapServers = given }, ProbeTimeout, logger))
                {
                    logger.LogError("no Kafka broker answers at {Bootstrap} within {Seconds} s; check --bootstrap-servers, or leave it out to run a development broker", given, ProbeTimeout.TotalSeconds);
                    return 1;
                }

                bootstrap = given;
            }
            else
            {
                var broker = new ChildProcess("broker", Path.Combine(logs, "broker.log"), "broker");
                children.Add(broker);
                string first = await broker.FirstLine.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                bootstrap = first.Split('=', 2)[1];
            }

            output.WriteLine($"via Kafka at bootstrap.servers={bootstrap}; child logs in {Path.GetFullPath(logs)}");

            // Before any child writes: on a cluster of the user's, what the topics hold by now is an
            // earlier run's, and the follower starts after it.
            var statistics = new DemoStatistics();
            using var follower = new OutputFollower(new KafkaSettings { BootstrapServers = bootstrap }, options.OutputDirectory, statistics);
            string idle = Btc.Rx.Time.Duration.Format(IdleTimeout);
            string[] kafka = ["--bootstrap-servers", bootstrap];
            foreach (string stage in (string[])["moving", "zscore", "bonus"])
            {
                children.Add(new ChildProcess(stage, Path.Combine(logs, stage + ".log"), [stage, .. kafka, "--idle-timeout", idle]));
            }

            if (options.Mongo is { } mongo)
            {
                // The connection string goes through the environment, not the command line others can read.
                Environment.SetEnvironmentVariable(MongoSettings.UriEnvironmentVariable, mongo.Uri);
                children.Add(new ChildProcess("load", Path.Combine(logs, "load.log"), ["load", .. kafka, "--database", mongo.Database, "--idle-timeout", idle]));
            }

            // Resolved here, once, as the in-process demo does: extract itself has no "auto".
            var source = options.Source with { Kind = await Sources.PriceSources.ResolveAsync(options.Source, logger, cancellationToken).ConfigureAwait(false) };
            string[] extractArgs =
            [
                "extract", .. kafka, "--source", source.Kind, "--symbols", string.Join(",", source.Symbols),
                "--interval", Btc.Rx.Time.Duration.Format(source.Interval), "--seed", source.Seed.ToString(CultureInfo.InvariantCulture),
                "--binance-url", source.BinanceUrl, "--binance-stream-url", source.BinanceStreamUrl,
                .. options.Duration is { } d ? (string[])["--duration", Btc.Rx.Time.Duration.Format(d)] : [],
            ];
            var extract = new ChildProcess("extract", Path.Combine(logs, "extract.log"), extractArgs);
            children.Add(extract);

            using var viewStop = new CancellationTokenSource();
            Task view = DemoReport.ShowAsync(options, statistics, "via Kafka: " + source.Kind, output, viewStop.Token);
            try
            {
                while (!extract.HasExited && !cancellationToken.IsCancellationRequested)
                {
                    follower.Poll(TimeSpan.FromMilliseconds(200));
                }

                // The source is done (or Ctrl+C): let it flush, then wait until the stages' idle timeouts
                // have made everything final and the topics are quiet.
                await extract.StopAsync(Grace).ConfigureAwait(false);
                DateTime quietSince = DateTime.UtcNow;
                while (DateTime.UtcNow - follower.LastRecord < IdleTimeout + TimeSpan.FromSeconds(3) && DateTime.UtcNow - quietSince < TimeSpan.FromMinutes(2))
                {
                    follower.Poll(TimeSpan.FromMilliseconds(200));
                }
            }
            finally
            {
                await viewStop.CancelAsync().ConfigureAwait(false);
                await view.ConfigureAwait(false);
            }

            DemoReport.WriteResults(output, statistics, options.OutputDirectory, follower.Counts());
            return extract.ExitCode == 0 ? 0 : 1;
        }
        finally
        {
            // Stages first (they flush and commit), the broker last.
            foreach (ChildProcess child in Enumerable.Reverse(children))
            {
                await child.StopAsync(Grace).ConfigureAwait(false);
                if (child.HasExited && child.ExitCode != 0 && child.Name != "broker")
                {
                    logger.LogWarning("{Child} exited with code {Code}; see its log", child.Name, child.ExitCode);
                }

                child.Dispose();
            }
        }
    }
}
