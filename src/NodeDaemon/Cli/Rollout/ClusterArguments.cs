using System.CommandLine;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The kubectl-style options of every rollout verb: <c>--kubeconfig</c> and <c>--context</c> (KUBECONFIG is read too).</summary>
internal sealed class ClusterArguments
{
    /// <summary>The one kubeconfig file to read, as kubectl's <c>--kubeconfig</c>.</summary>
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Path to the kubeconfig file to use (else the KUBECONFIG list, else ~/.kube/config), as kubectl",
    };

    /// <summary>The context to use instead of the current one.</summary>
    public Option<string?> Context { get; } = new("--context") { Description = "The name of the kubeconfig context to use" };

    /// <summary>The daemons' configuration (pool label, slots, halt threshold, windows, allowedImages), read as the nodes read it.</summary>
    public ConfigArguments Config { get; } = new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
        Config.AddTo(command);
    }

    /// <summary>Connects with the admin's kubeconfig; null after writing why it could not (one <c>error:</c> line).</summary>
    public RolloutCluster? ConnectOrReport(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var config = KubeconfigLoader.Load(result.GetValue(Kubeconfig), result.GetValue(Context), Environment.GetEnvironmentVariable, home);
            return new RolloutCluster(config);
        }
#pragma warning disable CA1031 // Whatever stops the kubeconfig from loading is told to the admin in one line.
        catch (Exception e) when (e is IOException or k8s.Exceptions.KubeConfigException or FormatException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException || e.GetType().FullName?.StartsWith("YamlDotNet.", StringComparison.Ordinal) == true)
#pragma warning restore CA1031
        {
            result.InvocationConfiguration.Error.WriteLine($"error: {Hosting.KubeconfigFile.Describe(e)}");
            return null;
        }
    }
}
