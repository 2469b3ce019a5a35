using NodeDaemon.Core.Files;

namespace NodeDaemon.Hosting;

/// <summary>Refuses a kubeconfig path that the Kubernetes client would read forever or to exhaustion.</summary>
/// <remarks>The client reads the whole file with no bound: <c>/dev/zero</c>, a FIFO or a runaway file would hang the
/// start or exhaust memory instead of failing with a line. Devices, FIFOs and /proc files report a size of 0 (stat(2)),
/// and an empty kubeconfig is useless anyway, so a size between 1 byte and <see cref="MaxBytes"/> is the check.</remarks>
internal static class KubeconfigFile
{
    /// <summary>The largest kubeconfig read; one with inline certificates is a few kilobytes.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>Throws <see cref="IOException"/> naming the problem unless <paramref name="path"/> is empty (in-cluster or
    /// default) or a file (symbolic links followed) of 1 to <see cref="MaxBytes"/> bytes.</summary>
    public static void Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return;
        }

        if (Directory.Exists(path))
        {
            throw new IOException("a directory, not a file");
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new IOException("no such file");
        }

        var length = file.LinkTarget is null ? file.Length : (file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo)?.Length ?? 0;
        if (length == 0)
        {
            throw new IOException("empty, or not a regular file (a device, FIFO or socket)");
        }

        if (length > MaxBytes)
        {
            throw new IOException($"{length} bytes, more than the {MaxBytes} a kubeconfig may have");
        }

        CheckCertificateAuthority(path);
    }

    /// <summary>The client library reads the current cluster's <c>certificate-authority</c> file itself, whole and with
    /// no check of its type, so a FIFO or a device there would hang the start: it is read here first, bounded.</summary>
    private static void CheckCertificateAuthority(string path)
    {
        var config = k8s.KubernetesClientConfiguration.LoadKubeConfig(path);
        var clusterName = config.Contexts?.FirstOrDefault(c => c.Name == config.CurrentContext)?.ContextDetails?.Cluster;
        var authority = config.Clusters?.FirstOrDefault(c => c.Name == clusterName)?.ClusterEndpoint?.CertificateAuthority;
        if (string.IsNullOrEmpty(authority))
        {
            return;
        }

        // A relative path counts from the kubeconfig's folder, as the client resolves it.
        var full = Path.IsPathRooted(authority) ? authority : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/", authority);
        try
        {
            _ = RegularFile.ReadBytes(full, MaxCertificateBytes);
        }
        catch (IOException e)
        {
            throw new IOException($"its certificate-authority file {full}: {e.Message}", e);
        }
    }

    // A CA bundle of a few hundred certificates is under a megabyte.
    private const int MaxCertificateBytes = 4 * 1024 * 1024;

    /// <summary>What an exception from reading a kubeconfig means, in words: the parsers' own messages are resource keys
    /// in this build (<c>Format_BadBase64Char</c>), so the kind of problem is named first.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var detail = DaemonExit.OneLine(exception);
        return exception switch
        {
            FormatException => $"certificate, key or token data that is not valid base64 ({detail})",
            System.Security.Cryptography.CryptographicException => $"a certificate or key that does not parse as PEM/DER ({detail})",
            _ when exception.GetType().FullName?.StartsWith("YamlDotNet.", StringComparison.Ordinal) == true => $"not valid YAML ({detail})",
            _ => detail,
        };
    }
}
