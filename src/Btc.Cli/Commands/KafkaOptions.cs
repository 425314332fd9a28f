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

    public void AddTo(Command command)
    {
        command.Options.Add(BootstrapServers);
        command.Options.Add(KafkaConfig);
        KafkaConfig.Validators.Add(result =>
        {
            foreach (string pair in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!pair.Contains('=', StringComparison.Ordinal) || pair.StartsWith('='))
                {
                    result.AddError($"--kafka-config takes key=value, not '{pair}'.");
                }
            }
        });
    }

    public KafkaSettings Bind(ParseResult parseResult) => new()
    {
        BootstrapServers = parseResult.GetValue(BootstrapServers)!,
        Extra = (parseResult.GetValue(KafkaConfig) ?? []).Select(p => p.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim()),
    };
}
