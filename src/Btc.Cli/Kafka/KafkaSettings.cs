using Confluent.Kafka;

namespace Btc.Cli.Kafka;

/// <summary>
/// Where the Kafka cluster is and how to talk to it: <c>--bootstrap-servers</c> (or the environment
/// variable <c>BTC_BOOTSTRAP_SERVERS</c>) and any client settings (<c>--kafka-config key=value</c>) for
/// SASL/TLS clusters. Secrets in those settings never reach a log line: <see cref="Describe"/> redacts them.
/// </summary>
internal sealed class KafkaSettings
{
    public const string BootstrapEnvironmentVariable = "BTC_BOOTSTRAP_SERVERS";

    public required string BootstrapServers { get; init; }

    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A consumer under <paramref name="groupId"/> that commits only when told to and fetches for a
    /// stream processor rather than a batch reader; the extra settings may change how it fetches, not
    /// where it reads from or how it commits.
    /// </summary>
    public ConsumerConfig ConsumerConfig(string groupId)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(Extra))
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };

        // A caught-up consumer should see a new record at once, not when a long poll of up to 500 ms
        // (the default) ends: every stage of the chain would add that much latency.
        config.FetchWaitMaxMs ??= 10;
        // A consumer working through a backlog holds up to queued.min.messages (100,000) fetched
        // records; past that librdkafka stops fetching for this long (default 1 s), although the stage
        // drains the queue in a fraction of that and then sits idle.
        config.FetchQueueBackoffMs ??= 10;
        return config;
    }

    /// <summary>An admin client (metadata, topic creation) with the extra settings, logging through <paramref name="logger"/>.</summary>
    public IAdminClient AdminClient(Microsoft.Extensions.Logging.ILogger logger)
    {
        _ = NativeLibrdkafka.Handle;
        return Build(new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string>(Extra)) { BootstrapServers = BootstrapServers })
            .SetLogHandler((_, message) => KafkaLog.Write(logger, message))
            .Build);
    }

    /// <summary>
    /// Builds a client with these settings. librdkafka checks them only then, and Confluent's client
    /// reports a refusal as an <see cref="InvalidOperationException"/> or <see cref="ArgumentException"/>;
    /// it becomes a <see cref="KafkaSettingsException"/> whose message names no secret value.
    /// </summary>
    public T Build<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            string message = Extra.Where(kv => IsSecret(kv.Key) && kv.Value.Length > 0)
                .Aggregate(e.Message, (text, secret) => text.Replace(secret.Value, "***", StringComparison.Ordinal));
            throw new KafkaSettingsException("the Kafka client refused its settings: " + message, e);
        }
    }

    public ProducerConfig ProducerConfig()
    {
        var config = new ProducerConfig(new Dictionary<string, string>(Extra))
        {
            BootstrapServers = BootstrapServers,
            // Every record once and in order: idempotence with all replicas acknowledging.
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            // Delivery reports are read for their error only: not copying each key and value back
            // from librdkafka saves more than the serialization of a moving record costs.
            DeliveryReportFields = "status",
        };
        return config;
    }

    /// <summary>One line for logs, with every value that could be a secret replaced by <c>***</c>.</summary>
    public string Describe() =>
        $"bootstrap.servers={BootstrapServers}" + string.Concat(Extra.Select(kv => $" {kv.Key}={(IsSecret(kv.Key) ? "***" : kv.Value)}"));

    public static bool IsSecret(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Contains("secret", StringComparison.OrdinalIgnoreCase) ||
        key.Contains("sasl.jaas", StringComparison.OrdinalIgnoreCase) || key.Contains("key", StringComparison.OrdinalIgnoreCase) ||
        key.Contains("token", StringComparison.OrdinalIgnoreCase) || key.Contains("credentials", StringComparison.OrdinalIgnoreCase);
}
