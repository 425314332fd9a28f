using System.CommandLine;
using Btc.Cli.Kafka;

namespace Btc.Cli.Commands;

/// <summary>The Kafka options every stage shares: where the cluster is and extra client settings.</summary>
internal sealed class KafkaOptions
{
    public Option<string> BootstrapServers { get; } = new("--bootstrap-servers")
    {
        Description = $"Kafka bootstrap servers (environment variable {KafkaSettings.BootstrapEnvironmentVariable}).",
        HelpName = "HOST:PORT",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(KafkaSettings.BootstrapEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : "localhost:9092",
    };

    public Option<string[]> KafkaConfig { get; } = new("--kafka-config")
    {
        Description = "Extra Kafka client setting, for example security.protocol=SASL_SSL; repeatable. Secret values are never logged.",
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<FileInfo?> KafkaConfigFile { get; } = new("--kafka-config-file")
    {
        Description = "A properties file of Kafka client settings (key=value lines, # and ! comments), as Kafka's own tools take; --kafka-config wins over it.",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(BootstrapServers);
        command.Options.Add(KafkaConfig);
        command.Options.Add(KafkaConfigFile);
        // An empty list is not a cluster: librdkafka would wait for one forever without a word.
        BootstrapServers.Check(servers => !string.IsNullOrWhiteSpace(servers?.Replace(',', ' ')), "--bootstrap-servers (or BTC_BOOTSTRAP_SERVERS) needs at least one HOST:PORT.");
        KafkaConfigFile.Check(file =>
            file is null || file.Exists ? null
            : Directory.Exists(file.FullName) ? $"--kafka-config-file: '{file.FullName}' is a folder; it takes a properties file."
            : $"--kafka-config-file: '{file.FullName}' does not exist.");
        KafkaConfig.Check(pairs => (pairs ?? []).FirstOrDefault(p => !p.Contains('=', StringComparison.Ordinal) || p.StartsWith('=')) is { } bad ? $"--kafka-config takes key=value, not '{bad}'." : null);
    }

    public KafkaSettings Bind(ParseResult parseResult)
    {
        var extra = new Dictionary<string, string>();
        if (parseResult.GetValue(KafkaConfigFile) is { } file)
        {
            int number = 0;
            foreach (string line in File.ReadLines(file.FullName).Select(l => l.Trim()))
            {
                number++;
                if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('!'))
                {
                    continue;
                }

                // A line that is not key=value was a setting the user meant (sasl.password secret):
                // left out quietly, the client would run without it. The line is not quoted, as it may hold a secret.
                string[] pair = line.Split('=', 2);
                if (pair.Length != 2 || pair[0].Trim().Length == 0)
                {
                    throw new KafkaSettingsException($"--kafka-config-file: line {number} of '{file.FullName}' is not key=value.");
                }

                extra[pair[0].Trim()] = pair[1].Trim();
            }
        }

        foreach (string[] pair in (parseResult.GetValue(KafkaConfig) ?? []).Select(p => p.Split('=', 2)))
        {
            extra[pair[0].Trim()] = pair[1].Trim();
        }

        return new KafkaSettings { BootstrapServers = parseResult.GetValue(BootstrapServers)!, Extra = extra };
    }
}
