using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace NodeDaemon.Hosting;

/// <summary>Keeps the system's trust store out of the process when the kubeconfig's CA is the only trust anchor
/// (<see cref="Kubernetes.Api.KubeConnection.NeedsSystemTrust"/> false): 0.8 MB of parsed certificates that no check reads.</summary>
/// <remarks>
/// .NET's Linux chain builder loads and caches every certificate of the system store (OpenSSL's <c>SSL_CERT_FILE</c> and
/// <c>SSL_CERT_DIR</c>, else their compiled-in defaults) before each chain build, whatever the trust mode, and SslStream
/// always builds the server's chain (dotnet/runtime <c>OpenSslX509ChainProcessor.InitiateChain</c> →
/// <c>OpenSslCachedSystemStoreProvider</c>). That cache reads the two variables once, at its first load, through libc's
/// <c>getenv</c>, and treats an empty value as "no file" and "no directories" without falling back to /etc/ssl/certs. So:
/// both set empty through libc (the managed <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not
/// reach libc on Unix), the cache's first load made here, and both put back as they were, so that nothing else (an exec
/// credential plugin the daemon starts, any later reader) sees a changed environment. client-go does the same check
/// with the same inputs: its RootCAs are the kubeconfig's CA pool alone and its intermediates only what the server sent.
/// </remarks>
internal static partial class SystemTrustStore
{
    private const string CertFile = "SSL_CERT_FILE";
    private const string CertDir = "SSL_CERT_DIR";
    private static readonly Lock s_gate = new();
    private static int? s_loaded;

    /// <summary>Makes the process's cached system store empty, once, before any chain is built. Returns the number of
    /// system roots the cache held after that first call: 0, unless a chain had been built before it (the cache was
    /// already loaded, and stays as it was). Later calls (the fleet simulation composes many agents in one process)
    /// return the same number and touch nothing.</summary>
    public static int LeaveUnloaded()
    {
        lock (s_gate)
        {
            if (s_loaded is { } loaded)
            {
                return loaded;
            }

            var file = GetEnv(CertFile);
            var dir = GetEnv(CertDir);
            try
            {
                Set(CertFile, string.Empty);
                Set(CertDir, string.Empty);
                s_loaded = LoadedRoots();
                return s_loaded.Value;
            }
            finally
            {
                Restore(CertFile, file);
                Restore(CertDir, dir);
            }
        }
    }

    // Opening the machine root store makes the cache's first load (the same one the chain builder shares).
    private static int LoadedRoots()
    {
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly);
        var certificates = store.Certificates;
        var count = certificates.Count;
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }

        return count;
    }

    private static string? GetEnv(string name) => Marshal.PtrToStringUTF8(NativeGetEnv(name));

    private static void Set(string name, string value)
    {
        if (NativeSetEnv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv {name}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static void Restore(string name, string? value)
    {
        if (value is null)
        {
            _ = NativeUnsetEnv(name);
        }
        else
        {
            Set(name, value);
        }
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeGetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeSetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeUnsetEnv(string name);
}
