using System.Net.Sockets;

namespace Btc.Cli.Tests;

/// <summary>Whether a Docker engine answers here, so real-server tests run where one does and report skipped elsewhere.</summary>
internal static class DockerEngine
{
    private static readonly Lazy<bool> Available = new(Probe);

    public static bool IsAvailable => Available.Value;

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 })
        {
            return true; // a remote or rootless engine: let Testcontainers connect to it
        }

        const string socket = "/var/run/docker.sock";
        if (!File.Exists(socket))
        {
            return false;
        }

        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(socket));
            client.Send("GET /_ping HTTP/1.0\r\n\r\n"u8);
            var buffer = new byte[256];
            int read = client.Receive(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
