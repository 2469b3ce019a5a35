using k8s;
using k8s.KubeConfigModels;
using NodeDaemon.Hosting;

namespace NodeDaemon.Cli.Rollout;

/// <summary>Finds and merges the admin's kubeconfig files the way kubectl does (client-go <c>tools/clientcmd/loader.go</c>).</summary>
/// <remarks>
/// client-go's <c>ClientConfigLoadingRules</c>: <c>--kubeconfig</c> names the one file read (it must exist); else
/// <c>KUBECONFIG</c> is a path list (split on ':', duplicates dropped, empty and missing entries skipped), merged in
/// order; else <c>~/.kube/config</c>. In the merge the first file to define a cluster, user or context name wins whole
/// (a later file's entry of that name is dropped, even its fields the first left out), and <c>current-context</c> is
/// the first non-empty one. Relative paths in a file count from that file's folder. <c>--context</c> replaces the
/// current context. The library's own multi-file loader is not used: the merge rules above are the contract to keep.
/// </remarks>
internal static class KubeconfigLoader
{
    /// <summary>The files kubectl would read, in merge order.</summary>
    /// <param name="explicitPath">The <c>--kubeconfig</c> value, or null/empty.</param>
    /// <param name="kubeconfigVariable">The <c>KUBECONFIG</c> value, or null/empty.</param>
    /// <param name="home">The user's home directory.</param>
    public static IReadOnlyList<string> Files(string? explicitPath, string? kubeconfigVariable, string home)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return [explicitPath];
        }

        if (!string.IsNullOrEmpty(kubeconfigVariable))
        {
            // filepath.SplitList then deduplicate: order kept, each path once, empty entries dropped.
            return [.. kubeconfigVariable.Split(Path.PathSeparator).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)];
        }

        return [Path.Combine(home, ".kube", "config")];
    }

    /// <summary>Reads and merges the files and builds the client configuration for <paramref name="context"/> (or the current one).</summary>
    /// <exception cref="IOException">The explicit file is missing, a file cannot be read, or no file was found.</exception>
    /// <exception cref="k8s.Exceptions.KubeConfigException">The context, its cluster or its user is not defined.</exception>
    public static KubernetesClientConfiguration Load(string? explicitPath, string? context, Func<string, string?> environment, string home)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var files = Files(explicitPath, environment("KUBECONFIG"), home);
        var loaded = new List<K8SConfiguration>();
        foreach (var file in files)
        {
            if (!File.Exists(file) && string.IsNullOrEmpty(explicitPath))
            {
                // client-go skips a missing entry of the list (and warns only when all are missing).
                continue;
            }

            try
            {
                KubeconfigFile.Check(file);
            }
            catch (IOException e)
            {
                throw new IOException($"kubeconfig {file}: {e.Message}", e);
            }

            loaded.Add(Absolutized(KubernetesClientConfiguration.LoadKubeConfig(file, useRelativePaths: false), file));
        }

        if (loaded.Count == 0)
        {
            throw new IOException($"no kubeconfig found (looked for {string.Join(", ", files)}); set KUBECONFIG or pass --kubeconfig");
        }

        var merged = Merge(loaded);
        var name = string.IsNullOrEmpty(context) ? merged.CurrentContext : context;
        if (string.IsNullOrEmpty(name))
        {
            throw new k8s.Exceptions.KubeConfigException("the kubeconfig has no current-context; pass --context");
        }

        if (merged.Contexts?.Any(c => c.Name == name) != true)
        {
            throw new k8s.Exceptions.KubeConfigException($"context \"{name}\" is not in the kubeconfig");
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, name);
    }

    /// <summary>client-go's merge: the first definition of each name wins whole; the first non-empty current-context wins.</summary>
    public static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> configurations)
    {
        ArgumentNullException.ThrowIfNull(configurations);
        return new K8SConfiguration
        {
            CurrentContext = configurations.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Clusters = FirstByName(configurations.SelectMany(c => c.Clusters ?? []), c => c.Name),
            Users = FirstByName(configurations.SelectMany(c => c.Users ?? []), u => u.Name),
            Contexts = FirstByName(configurations.SelectMany(c => c.Contexts ?? []), c => c.Name),
        };
    }

    private static List<T> FirstByName<T>(IEnumerable<T> items, Func<T, string?> name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. items.Where(item => seen.Add(name(item) ?? ""))];
    }

    /// <summary>Makes the file paths of <paramref name="config"/> absolute against the folder of <paramref name="file"/>, as client-go's ResolveLocalPaths.</summary>
    private static K8SConfiguration Absolutized(K8SConfiguration config, string file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? "/";
        string? Resolve(string? path) => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.Combine(folder, path);
        foreach (var cluster in config.Clusters ?? [])
        {
            if (cluster.ClusterEndpoint is { } endpoint)
            {
                endpoint.CertificateAuthority = Resolve(endpoint.CertificateAuthority);
            }
        }

        foreach (var user in config.Users ?? [])
        {
            if (user.UserCredentials is { } credentials)
            {
                credentials.ClientCertificate = Resolve(credentials.ClientCertificate);
                credentials.ClientKey = Resolve(credentials.ClientKey);
            }
        }

        return config;
    }
}
