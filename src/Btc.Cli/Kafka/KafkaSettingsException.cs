using Btc.Cli.Commands;

namespace Btc.Cli.Kafka;

/// <summary>
/// The Kafka client refused a setting (<c>--kafka-config</c>): an unknown name, a value it does not
/// take, a SASL mechanism without its credentials; or a line of <c>--kafka-config-file</c> is not a
/// setting. Commands report it in one sentence, with secret values redacted, as they do an option
/// that does not parse.
/// </summary>
internal sealed class KafkaSettingsException(string message, Exception? innerException = null) : UsageException(message, innerException);
