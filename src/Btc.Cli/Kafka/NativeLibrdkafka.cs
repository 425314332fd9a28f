using System.Runtime.InteropServices;

namespace Btc.Cli.Kafka;

/// <summary>
/// Finds and loads the librdkafka that ships with Confluent.Kafka (librdkafka.redist). The default
/// linux-x64 build needs libsasl2.so.3, which Debian does not have; the CentOS 8 build beside it
/// loads everywhere, so it is tried when the default does not load. Confluent.Kafka and our own
/// P/Invoke calls (the mock cluster) must use the same loaded library.
/// </summary>
internal static class NativeLibrdkafka
{
    private static readonly Lock Gate = new();
    private static IntPtr s_handle;

    public static IntPtr Handle
    {
        get
        {
            lock (Gate)
            {
                if (s_handle == IntPtr.Zero)
                {
                    s_handle = LoadFirst();
                }

                return s_handle;
            }
        }
    }

    private static IntPtr LoadFirst()
    {
        // A portable build keeps the natives under runtimes/<rid>/native; a native (AOT) build for one
        // platform puts them beside the executable.
        string portable = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64", "native");
        var tried = new List<string>();
        foreach (string path in new[] { portable, AppContext.BaseDirectory }.SelectMany(directory =>
            new[] { "librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so" }.Select(name => Path.Combine(directory, name))))
        {
            tried.Add(path);
            if (!File.Exists(path) || !NativeLibrary.TryLoad(path, out IntPtr handle))
            {
                continue;
            }

            // Confluent.Kafka binds its DllImports by name and dlopens through "libdl", a name only
            // the -dev package provides on Debian: resolve both to what actually loads here.
            NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, (import, _, _) =>
                import.Contains("rdkafka", StringComparison.Ordinal) ? handle
                : import == "libdl" && (NativeLibrary.TryLoad("libdl.so.2", out IntPtr dl) || NativeLibrary.TryLoad("libc.so.6", out dl)) ? dl
                : IntPtr.Zero);
            Confluent.Kafka.Library.Load(path);
            return handle;
        }

        throw new DllNotFoundException("No librdkafka could be loaded; tried " + string.Join(", ", tried));
    }
}
