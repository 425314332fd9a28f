using System.Runtime.InteropServices;
using System.Text;

namespace Btc.Cli.Kafka;

/// <summary>
/// Confluent's mock Kafka cluster inside librdkafka: a real Kafka-protocol server on loopback, for
/// development and tests without a Kafka installation. It keeps data in memory only (about 5 MB per
/// partition), supports neither CreateTopics nor ListOffsets by timestamp, and is not for production.
/// </summary>
internal sealed class MockCluster : IDisposable
{
    private readonly IntPtr _client;
    private IntPtr _cluster;

    public MockCluster(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        IntPtr library = NativeLibrdkafka.Handle;
        Native.Bind(library);
        IntPtr conf = Native.ConfNew();
        // The owning client has no brokers to talk to; keep it from warning about that.
        Native.ConfSet(conf, "log_level", "3");
        // The mock cluster needs a client handle to own it; a producer that never produces will do.
        _client = Native.New(0, conf, out string error);
        if (_client == IntPtr.Zero)
        {
            throw new InvalidOperationException("librdkafka would not create a client: " + error);
        }

        _cluster = Native.MockClusterNew(_client, brokers);
        if (_cluster == IntPtr.Zero)
        {
            Native.Destroy(_client);
            throw new InvalidOperationException("librdkafka would not create a mock cluster.");
        }

        BootstrapServers = Marshal.PtrToStringUTF8(Native.MockClusterBootstraps(_cluster))!;
        Brokers = brokers;
    }

    /// <summary>The <c>bootstrap.servers</c> value clients connect with, for example <c>127.0.0.1:39525</c>.</summary>
    public string BootstrapServers { get; }

    public int Brokers { get; }

    /// <summary>Creates a topic (the mock cluster does not implement CreateTopics for clients).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        int code = Native.MockTopicCreate(_cluster, topic, partitions, Math.Min(replicationFactor, Brokers));
        if (code != 0)
        {
            throw new InvalidOperationException($"The mock cluster would not create topic {topic}: error {code}.");
        }
    }

    /// <summary>Deletes a topic and its records, as an administrator does; it can be made again, with more partitions.</summary>
    public void DeleteTopic(string topic)
    {
        int code = Native.MockTopicDelete(_cluster, topic);
        if (code != 0)
        {
            throw new InvalidOperationException($"The mock cluster would not delete topic {topic}: error {code}.");
        }
    }

    /// <summary>Takes a broker down (connections refused) or brings it back up, for fault tests.</summary>
    public void SetBrokerUp(int brokerId, bool up)
    {
        int code = up ? Native.MockBrokerSetUp(_cluster, brokerId) : Native.MockBrokerSetDown(_cluster, brokerId);
        if (code != 0)
        {
            throw new InvalidOperationException($"The mock cluster would not change broker {brokerId}: error {code}.");
        }
    }

    /// <summary>
    /// Makes the next requests of one API (Produce is 0, Fetch 1, OffsetCommit 8, …) fail with the given
    /// Kafka errors in turn, for fault tests: clients must retry them without losing or reordering.
    /// </summary>
    public void FailNextRequests(short apiKey, params Confluent.Kafka.ErrorCode[] errors)
    {
        int[] codes = [.. errors.Select(e => (int)e)];
        Native.MockPushRequestErrors(_cluster, apiKey, codes);
    }

    public void Dispose()
    {
        if (_cluster != IntPtr.Zero)
        {
            Native.MockClusterDestroy(_cluster);
            _cluster = IntPtr.Zero;
            Native.Destroy(_client);
        }
    }

    // Bound at run time to the library NativeLibrdkafka loaded, so both sides share one copy.
    private static unsafe class Native
    {
        private static delegate* unmanaged<IntPtr> s_confNew;
        private static delegate* unmanaged<IntPtr, byte*, byte*, byte*, UIntPtr, int> s_confSet;
        private static delegate* unmanaged<int, IntPtr, byte*, UIntPtr, IntPtr> s_new;
        private static delegate* unmanaged<IntPtr, void> s_destroy;
        private static delegate* unmanaged<IntPtr, int, IntPtr> s_mockClusterNew;
        private static delegate* unmanaged<IntPtr, void> s_mockClusterDestroy;
        private static delegate* unmanaged<IntPtr, IntPtr> s_mockClusterBootstraps;
        private static delegate* unmanaged<IntPtr, byte*, int, int, int> s_mockTopicCreate;
        private static delegate* unmanaged<IntPtr, byte*, int> s_mockTopicDelete;
        private static delegate* unmanaged<IntPtr, int, int> s_mockBrokerSetDown;
        private static delegate* unmanaged<IntPtr, int, int> s_mockBrokerSetUp;
        private static delegate* unmanaged<IntPtr, short, UIntPtr, int*, void> s_mockPushRequestErrors;

        public static void Bind(IntPtr library)
        {
            s_confNew = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "rd_kafka_conf_new");
            s_confSet = (delegate* unmanaged<IntPtr, byte*, byte*, byte*, UIntPtr, int>)NativeLibrary.GetExport(library, "rd_kafka_conf_set");
            s_new = (delegate* unmanaged<int, IntPtr, byte*, UIntPtr, IntPtr>)NativeLibrary.GetExport(library, "rd_kafka_new");
            s_destroy = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(library, "rd_kafka_destroy");
            s_mockClusterNew = (delegate* unmanaged<IntPtr, int, IntPtr>)NativeLibrary.GetExport(library, "rd_kafka_mock_cluster_new");
            s_mockClusterDestroy = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(library, "rd_kafka_mock_cluster_destroy");
            s_mockClusterBootstraps = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(library, "rd_kafka_mock_cluster_bootstraps");
            s_mockTopicCreate = (delegate* unmanaged<IntPtr, byte*, int, int, int>)NativeLibrary.GetExport(library, "rd_kafka_mock_topic_create");
            s_mockTopicDelete = (delegate* unmanaged<IntPtr, byte*, int>)NativeLibrary.GetExport(library, "rd_kafka_mock_topic_delete");
            s_mockBrokerSetDown = (delegate* unmanaged<IntPtr, int, int>)NativeLibrary.GetExport(library, "rd_kafka_mock_broker_set_down");
            s_mockBrokerSetUp = (delegate* unmanaged<IntPtr, int, int>)NativeLibrary.GetExport(library, "rd_kafka_mock_broker_set_up");
            s_mockPushRequestErrors = (delegate* unmanaged<IntPtr, short, UIntPtr, int*, void>)NativeLibrary.GetExport(library, "rd_kafka_mock_push_request_errors_array");
        }

        public static IntPtr ConfNew() => s_confNew();

        public static void ConfSet(IntPtr conf, string name, string value)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name + "\0");
            byte[] valueBytes = Encoding.UTF8.GetBytes(value + "\0");
            byte* error = stackalloc byte[256];
            fixed (byte* namePointer = nameBytes, valuePointer = valueBytes)
            {
                if (s_confSet(conf, namePointer, valuePointer, error, 256) != 0)
                {
                    throw new InvalidOperationException($"librdkafka rejected {name}={value}: {Marshal.PtrToStringUTF8((IntPtr)error)}");
                }
            }
        }

        public static IntPtr New(int type, IntPtr conf, out string error)
        {
            byte* buffer = stackalloc byte[512];
            buffer[0] = 0;
            IntPtr handle = s_new(type, conf, buffer, 512);
            error = Marshal.PtrToStringUTF8((IntPtr)buffer) ?? "";
            return handle;
        }

        public static void Destroy(IntPtr client) => s_destroy(client);

        public static IntPtr MockClusterNew(IntPtr client, int brokers) => s_mockClusterNew(client, brokers);

        public static void MockClusterDestroy(IntPtr cluster) => s_mockClusterDestroy(cluster);

        public static IntPtr MockClusterBootstraps(IntPtr cluster) => s_mockClusterBootstraps(cluster);

        public static int MockTopicCreate(IntPtr cluster, string topic, int partitions, int replication)
        {
            byte[] name = Encoding.UTF8.GetBytes(topic + "\0");
            fixed (byte* pointer = name)
            {
                return s_mockTopicCreate(cluster, pointer, partitions, replication);
            }
        }

        public static int MockTopicDelete(IntPtr cluster, string topic)
        {
            byte[] name = Encoding.UTF8.GetBytes(topic + "\0");
            fixed (byte* pointer = name)
            {
                return s_mockTopicDelete(cluster, pointer);
            }
        }

        public static int MockBrokerSetDown(IntPtr cluster, int broker) => s_mockBrokerSetDown(cluster, broker);

        public static int MockBrokerSetUp(IntPtr cluster, int broker) => s_mockBrokerSetUp(cluster, broker);

        public static void MockPushRequestErrors(IntPtr cluster, short apiKey, int[] errors)
        {
            fixed (int* pointer = errors)
            {
                s_mockPushRequestErrors(cluster, apiKey, (UIntPtr)errors.Length, pointer);
            }
        }
    }
}
