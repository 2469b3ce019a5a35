using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>The <c>nodedaemon-sim apiserver</c> verb as a process: help, URL on stdout, kubeconfig, faults file.</summary>
public sealed class ApiServerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nodedaemon-sim-apiserver-").FullName;
    private Process? _process;

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Help_documents_every_option()
    {
        var (code, output) = await RunToEndAsync("apiserver", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--listen", "--seed", "--kubeconfig-out", "--faults", "--time-scale", "--replacement-ready-seconds", "--bookmark-interval-seconds", "--history", "--transport" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_non_loopback_listen_address_is_refused()
    {
        var (code, output) = await RunToEndAsync("apiserver", "--listen", "0.0.0.0:0", "--seed", Seed(), "--kubeconfig-out", Path.Combine(_dir, "kc"));
        Assert.Equal(2, code);
        Assert.Contains("loopback only", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prints_the_url_writes_a_kubeconfig_that_kubectl_uses_and_applies_the_faults_file()
    {
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        var faults = Path.Combine(_dir, "faults.json");
        await File.WriteAllTextAsync(faults, """{"errors":[{"status":500,"rate":1,"resource":"leases"}]}""");
        _process = Start("apiserver", "--listen", "127.0.0.1:0", "--seed", Seed(), "--kubeconfig-out", kubeconfig, "--faults", faults, "--time-scale", "0.01");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var url = await _process.StandardOutput.ReadLineAsync(cts.Token);
        Assert.Matches("^https://127\\.0\\.0\\.1:[0-9]+$", url);
        Assert.Contains($"server: {url}", await File.ReadAllTextAsync(kubeconfig), StringComparison.Ordinal);

        var (code, output) = await Kubectl.RunAsync(kubeconfig, TimeSpan.FromSeconds(60), "get", "pods", "-n", "shop", "-o", "name");
        Assert.True(code == 0, output);
        Assert.Contains("pod/cache-0", output, StringComparison.Ordinal);

        // The server's CA, as the kubeconfig carries it for kubectl: this client checks the server the same way.
        using var ca = CertificateAuthority(await File.ReadAllTextAsync(kubeconfig));
        using var client = new HttpClient(TestCertificates.TrustingHandler(ca)) { BaseAddress = new Uri(url!), Timeout = TimeSpan.FromSeconds(10) };
        using var lease = await client.GetAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases");
        Assert.Equal(500, (int)lease.StatusCode);
    }

    private static X509Certificate2 CertificateAuthority(string kubeconfig)
    {
        const string key = "certificate-authority-data: ";
        var line = kubeconfig.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(key, StringComparison.Ordinal));
        return X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(line[key.Length..])));
    }

    private static string Seed() => Path.Combine(AppContext.BaseDirectory, "KubeApi", "Seeds", "drain-cluster.json");

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nodedaemon-sim.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private async Task<(int Code, string Output)> RunToEndAsync(params string[] args)
    {
        _process = Start(args);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = _process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = _process.StandardError.ReadToEndAsync(cts.Token);
        await _process.WaitForExitAsync(cts.Token);
        return (_process.ExitCode, await stdout + await stderr);
    }
}
