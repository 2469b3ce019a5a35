using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NodeDaemon.Sim.Harness;

/// <summary>Runs the newest real kubectl on the machine against a kubeconfig; the independent check of the test API server
/// and of the daemon's own client.</summary>
public static class Kubectl
{
    private const string CloudSdkBin = "/usr/lib/google-cloud-sdk/bin";

    /// <summary>The kubectl to use: the highest google-cloud-sdk <c>kubectl.1.NN</c>, else <c>kubectl</c> on PATH. Fails when none.</summary>
    public static string Path { get; } = Find();

    /// <summary>Runs kubectl with <paramref name="args"/>; returns exit code and combined output. Killed (and a
    /// <see cref="TimeoutException"/>) after the timeout.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string kubeconfig, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Made here, so that it can be deleted also when kubectl wrote nothing (a refused TLS handshake).
        start.Environment["KUBECACHEDIR"] = Directory.CreateTempSubdirectory("nodedaemon-sim-kubecache-").FullName;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {timeout}:\n{Text(output)}");
        }
        finally
        {
            Directory.Delete(start.Environment["KUBECACHEDIR"]!, recursive: true);
        }

        process.WaitForExit();
        return (process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Find()
    {
        if (Directory.Exists(CloudSdkBin))
        {
            var newest = Directory.GetFiles(CloudSdkBin, "kubectl.1.*")
                .Select(f => (File: f, Minor: int.TryParse(System.IO.Path.GetFileName(f)["kubectl.1.".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : -1))
                .Where(c => c.Minor >= 0)
                .OrderByDescending(c => c.Minor)
                .FirstOrDefault();
            if (newest.File is not null)
            {
                return newest.File;
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"no kubectl: neither {CloudSdkBin}/kubectl.1.NN nor kubectl on PATH (./build.sh test installs Debian's kubernetes-client)");
    }
}
