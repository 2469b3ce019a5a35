using System.Diagnostics;

namespace NodeDaemon.Packaging.Tests.Support;

/// <summary>Runs a real tool with an argument list (never a shell string) and kills it at a deadline.</summary>
internal static class Tool
{
    /// <summary>The deadline of every packaging tool run: rpmbuild and rpmlint take about a second here.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; throws <see cref="TimeoutException"/> at the deadline.</summary>
    public static Task<ToolResult> RunAsync(string file, params string[] args) => RunAsync(file, args, environment: null);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> and these environment variables added.</summary>
    public static async Task<ToolResult> RunAsync(string file, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Plain, untranslated, unpaged output: the tests parse it.
        start.Environment["SYSTEMD_COLORS"] = "0";
        start.Environment["SYSTEMD_PAGER"] = "";
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return new ToolResult(Describe(file, args), process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{Describe(file, args)} did not finish within {Timeout.TotalSeconds} s and was killed");
        }
    }

    /// <summary>The first executable called <paramref name="name"/> on PATH; fails the test when there is none.</summary>
    public static string OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"no {name} on PATH (./build.sh test installs the Debian packages that carry it)");

    private static string Describe(string file, string[] args) => $"{Path.GetFileName(file)} {string.Join(' ', args)}";
}

/// <summary>What a tool run printed and how it exited.</summary>
internal sealed record ToolResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Fails the test, with everything the tool said, unless it exited 0.</summary>
    public ToolResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"{Command} exited {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return this;
    }
}
