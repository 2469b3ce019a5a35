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
/// <c>getenv</c>, and treats an empty value as "no file" and "no directories" without falling back to /etc/ssl/certs.
/// So the first load is made here while libc's environment says both are empty, and then the environment is what it was,
/// so that nothing else (an exec credential plugin the daemon starts, any later reader) sees a change. client-go does the
/// same check with the same inputs: its RootCAs are the kubeconfig's CA pool alone.
/// <para>The environment is swapped, never edited (<see cref="LibcEnvironment"/>): other threads run by then, and the
/// runtime reads the environment whenever it starts a thread. <c>setenv</c> would reallocate the array under their
/// <c>getenv</c> and free the old one, <c>unsetenv</c> would shift it; glibc stopped freeing it only in 2.41 (commit
/// 7a61e7f557a9, "stdlib: Make getenv thread-safe in more cases"), after RHEL 9's 2.34 and RHEL 10's 2.39.</para>
/// </remarks>
internal static class SystemTrustStore
{
    private static readonly string[] s_variables = ["SSL_CERT_FILE", "SSL_CERT_DIR"];
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
            s_loaded ??= LibcEnvironment.WhileEmpty(s_variables, LoadedRoots);
            return s_loaded.Value;
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
}
