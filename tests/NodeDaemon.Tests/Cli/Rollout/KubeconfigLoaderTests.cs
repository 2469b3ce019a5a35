using NodeDaemon.Cli.Rollout;

namespace NodeDaemon.Tests.Cli.Rollout;

/// <summary>The admin's kubeconfig is found and merged as kubectl does (client-go tools/clientcmd/loader.go).</summary>
public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-kubeconfig-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<string?, string?, string[]> FileCases => new()
    {
        // --kubeconfig wins over KUBECONFIG, and is the only file.
        { "/x/explicit", "/a:/b", ["/x/explicit"] },
        // KUBECONFIG: a list, in order, each path once, empty entries dropped.
        { null, "/a::/b:/a", ["/a", "/b"] },
        { "", "/a", ["/a"] },
        // Neither: ~/.kube/config.
        { null, null, ["/home/admin/.kube/config"] },
        { null, "", ["/home/admin/.kube/config"] },
    };

    [Theory]
    [MemberData(nameof(FileCases))]
    public void Finds_the_files_kubectl_reads(string? explicitPath, string? variable, string[] expected) =>
        Assert.Equal(expected, KubeconfigLoader.Files(explicitPath, variable, "/home/admin"));

    [Fact]
    public void The_first_file_to_name_a_context_cluster_or_user_wins_and_the_first_current_context_is_used()
    {
        var first = Write("first", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: shared
              cluster: {server: "https://first.example:6443", insecure-skip-tls-verify: true}
            users:
            - name: admin
              user: {token: first-token}
            contexts:
            - name: prod
              context: {cluster: shared, user: admin}
            """);
        var second = Write("second", """
            apiVersion: v1
            kind: Config
            current-context: staging
            clusters:
            - name: shared
              cluster: {server: "https://second.example:6443", insecure-skip-tls-verify: true}
            - name: other
              cluster: {server: "https://other.example:6443", insecure-skip-tls-verify: true}
            users:
            - name: admin
              user: {token: second-token}
            contexts:
            - name: prod
              context: {cluster: other, user: admin}
            - name: staging
              context: {cluster: other, user: admin}
            """);
        var env = Env($"{first}:/nowhere/missing:{second}");

        // current-context comes from the second file (the first sets none); its cluster "other" only the second defines.
        var current = KubeconfigLoader.Load(null, null, env, _dir.FullName);
        Assert.Equal("https://other.example:6443/", current.Host.TrimEnd('/') + "/");
        Assert.Equal("first-token", current.AccessToken);

        // --context prod: the first file's prod context, whose cluster (named shared in both files) is taken as the first file defines it.
        var prod = KubeconfigLoader.Load(null, "prod", env, _dir.FullName);
        Assert.StartsWith("https://first.example:6443", prod.Host, StringComparison.Ordinal);
    }

    [Fact]
    public void The_explicit_file_must_exist_and_a_missing_context_is_named()
    {
        var missing = Path.Combine(_dir.FullName, "absent");
        Assert.Contains("no such file", Assert.Throws<IOException>(() => KubeconfigLoader.Load(missing, null, Env(null), _dir.FullName)).Message,
            StringComparison.Ordinal);
        var only = Write("only", """
            apiVersion: v1
            kind: Config
            current-context: a
            clusters: [{name: c, cluster: {server: "https://c.example"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: a, context: {cluster: c, user: u}}]
            """);
        var error = Assert.Throws<k8s.Exceptions.KubeConfigException>(() => KubeconfigLoader.Load(only, "b", Env(null), _dir.FullName));
        Assert.Contains("\"b\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_certificate_path_counts_from_its_own_file_s_folder()
    {
        var sub = _dir.CreateSubdirectory("sub");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test-ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var ca = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
            File.WriteAllText(Path.Combine(sub.FullName, "ca.crt"), ca.ExportCertificatePem());
        }

        var file = Path.Combine(sub.FullName, "config");
        File.WriteAllText(file, """
            apiVersion: v1
            kind: Config
            current-context: a
            clusters: [{name: c, cluster: {server: "https://c.example", certificate-authority: ca.crt}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: a, context: {cluster: c, user: u}}]
            """);
        var merged = KubeconfigLoader.Merge([k8s.KubernetesClientConfiguration.LoadKubeConfig(file, useRelativePaths: false)]);
        Assert.Equal("ca.crt", merged.Clusters.Single().ClusterEndpoint.CertificateAuthority);
        // Through Load the path is resolved against sub/, not the working directory (which holds no ca.crt).
        var config = KubeconfigLoader.Load(null, null, Env(file), "/nonexistent-home");
        Assert.Equal("CN=test-ca", Assert.Single(config.SslCaCerts).Subject);
    }

    [Fact]
    public void No_file_at_all_says_where_it_looked()
    {
        var error = Assert.Throws<IOException>(() => KubeconfigLoader.Load(null, null, Env(null), _dir.FullName));
        Assert.Contains(Path.Combine(_dir.FullName, ".kube", "config"), error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Env(string? kubeconfig) => name => name == "KUBECONFIG" ? kubeconfig : null;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
