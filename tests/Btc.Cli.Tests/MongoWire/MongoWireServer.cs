using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace Btc.Cli.Tests.MongoWire;

/// <summary>
/// A MongoDB wire-protocol server for tests, so the real MongoDB.Driver code path runs without a
/// MongoDB installation: OP_QUERY for the connection handshake, OP_MSG for everything after, over an
/// in-memory <see cref="MongoStore"/>. It can be taken down and brought back on the same port.
/// </summary>
internal sealed class MongoWireServer : IDisposable
{
    private const int OpReply = 1;
    private const int OpQuery = 2004;
    private const int OpMsg = 2013;

    private readonly List<TcpClient> _connections = [];
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private int _nextRequestId;
    private int _nextConnectionId;

    public MongoWireServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        StartAccepting(_listener);
    }

    public int Port { get; }

    /// <summary>With a server-selection timeout long enough for a loaded machine: the driver waits for the server that long before failing.</summary>
    public string ConnectionString => ConnectionStringSelectingWithin(TimeSpan.FromSeconds(10));

    /// <summary>
    /// The driver waits up to <paramref name="serverSelectionTimeout"/> for a server that is down, so a
    /// client only sees (and reports) an outage that lasts longer than that.
    /// </summary>
    public string ConnectionStringSelectingWithin(TimeSpan serverSelectionTimeout) =>
        $"mongodb://127.0.0.1:{Port}/?serverSelectionTimeoutMS={(int)serverSelectionTimeout.TotalMilliseconds}&connectTimeoutMS=2000&heartbeatFrequencyMS=500";

    public MongoStore Store { get; } = new();

    /// <summary>Closes every connection and stops listening, as a crashed server would.</summary>
    public void TakeDown()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            foreach (TcpClient connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public void BringUp()
    {
        lock (_gate)
        {
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            StartAccepting(listener);
        }
    }

    public void Dispose() => TakeDown();

    // Threads of its own, blocking: tests that keep the thread pool busy must not slow the server down.
    private void StartAccepting(TcpListener listener) => new Thread(() => AcceptLoop(listener)) { IsBackground = true, Name = "mongo test server" }.Start();

    private void AcceptLoop(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            lock (_gate)
            {
                _connections.Add(client);
            }

            int connectionId = Interlocked.Increment(ref _nextConnectionId);
            new Thread(() => Serve(client, connectionId)) { IsBackground = true, Name = "mongo test connection" }.Start();
        }
    }

    private void Serve(TcpClient client, int connectionId)
    {
        try
        {
            NetworkStream stream = client.GetStream();
            byte[] header = new byte[16];
            while (true)
            {
                stream.ReadExactly(header);
                int length = BinaryPrimitives.ReadInt32LittleEndian(header);
                int requestId = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
                int opCode = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
                byte[] body = new byte[length - 16];
                stream.ReadExactly(body);
                byte[] reply = opCode switch
                {
                    OpQuery => ReplyToQuery(body, requestId, connectionId),
                    OpMsg => ReplyToMessage(body, requestId, connectionId),
                    _ => throw new InvalidDataException($"op code {opCode} is not supported by the test server"),
                };
                stream.Write(reply);
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or SocketException or InvalidDataException)
        {
            // The client went away or the server was taken down.
        }
        finally
        {
            client.Dispose();
            lock (_gate)
            {
                _connections.Remove(client);
            }
        }
    }

    // OP_QUERY: flags, full collection name, skip, return, query. Only the handshake uses it.
    private byte[] ReplyToQuery(byte[] body, int requestId, int connectionId)
    {
        int nameEnd = Array.IndexOf(body, (byte)0, 4);
        int queryStart = nameEnd + 1 + 8;
        BsonDocument query = ReadDocument(body, queryStart, out _);
        BsonDocument answer = Commands.Run(Store, "admin", query, [], connectionId);
        byte[] document = answer.ToBson();
        byte[] reply = new byte[16 + 20 + document.Length];
        WriteHeader(reply, requestId, OpReply);
        BinaryPrimitives.WriteInt32LittleEndian(reply.AsSpan(32), 1);
        document.CopyTo(reply, 36);
        return reply;
    }

    // OP_MSG: flag bits, then sections: kind 0 is the command body, kind 1 a named document sequence.
    private byte[] ReplyToMessage(byte[] body, int requestId, int connectionId)
    {
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(body);
        int end = body.Length - ((flags & 1) != 0 ? 4 : 0);
        int position = 4;
        BsonDocument? command = null;
        var sequences = new Dictionary<string, List<BsonDocument>>();
        while (position < end)
        {
            byte kind = body[position++];
            if (kind == 0)
            {
                command = ReadDocument(body, position, out int size);
                position += size;
            }
            else
            {
                int sectionEnd = position + BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(position));
                int nameEnd = Array.IndexOf(body, (byte)0, position + 4);
                string name = System.Text.Encoding.UTF8.GetString(body, position + 4, nameEnd - position - 4);
                var documents = new List<BsonDocument>();
                position = nameEnd + 1;
                while (position < sectionEnd)
                {
                    documents.Add(ReadDocument(body, position, out int size));
                    position += size;
                }

                sequences[name] = documents;
            }
        }

        BsonDocument request = command ?? throw new InvalidDataException("OP_MSG without a body");
        string database = request.GetValue("$db", "admin").AsString;
        BsonDocument answer = Commands.Run(Store, database, request, sequences, connectionId);
        byte[] document = answer.ToBson();
        byte[] reply = new byte[16 + 5 + document.Length];
        WriteHeader(reply, requestId, OpMsg);
        reply[20] = 0;
        document.CopyTo(reply, 21);
        return reply;
    }

    private void WriteHeader(byte[] message, int responseTo, int opCode)
    {
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), Interlocked.Increment(ref _nextRequestId));
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), opCode);
    }

    private static BsonDocument ReadDocument(byte[] buffer, int offset, out int size)
    {
        size = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset));
        using var reader = new BsonBinaryReader(new MemoryStream(buffer, offset, size));
        return BsonSerializer.Deserialize<BsonDocument>(reader);
    }
}
