using System.Diagnostics;

namespace NodeDaemon.Sim.Harness;

/// <summary>Runs a real command-line tool (busctl, gdbus, dbus-send, ...) with an argument list and a time bound.</summary>
public static class Tool
{
    /// <summary>Runs <paramref name="file"/> to completion; kills it (and fails) when it outlives <paramref name="timeout"/>.</summary>
    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = StartInfo(file, args) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }

        return new ToolResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>A start info with redirected output and the arguments as a list (never a composed shell string).</summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
