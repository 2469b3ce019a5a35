using System.Diagnostics;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>The C# rpm-ostreed verb runs the service and passes its exit code through.</summary>
public sealed class CommandTests
{
    [Fact]
    public async Task Verb_forwards_the_reboot_exit_code()
    {
        using var bus = await PrivateBus.StartAsync();
        using var dir = new TempDirectory("nodedaemon-verb-");
        var state = dir.File("status.json");
        File.Copy(RepositoryPaths.RpmOstreeStatus("zincati-rpm-ostree-status.json"), state);
        using var verb = Process.Start(Tool.StartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "nodedaemon-sim.dll"), "rpm-ostreed", "--bus", bus.Address, "--state", state]))!;
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Assert.Contains("ready", await verb.StandardOutput.ReadLineAsync(ready.Token), StringComparison.Ordinal);
            var reboot = await Tool.RunAsync("busctl", [$"--address={bus.Address}", "call", "org.freedesktop.login1",
                "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "Reboot", "b", "true"], TimeSpan.FromSeconds(5));
            Assert.Equal(0, reboot.ExitCode);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await verb.WaitForExitAsync(exit.Token);
            Assert.Equal(100, verb.ExitCode);
        }
        finally
        {
            if (!verb.HasExited)
            {
                verb.Kill(entireProcessTree: true);
                verb.WaitForExit(5000);
            }
        }
    }
}
