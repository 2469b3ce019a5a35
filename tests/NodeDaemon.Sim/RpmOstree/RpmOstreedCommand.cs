using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NodeDaemon.Sim.RpmOstree;

/// <summary>The <c>rpm-ostreed</c> verb: runs the GDBus rpm-ostreed simulator and passes its exit code through.</summary>
internal static class RpmOstreedCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var bus = new Option<string>("--bus") { Description = "D-Bus address of the bus to serve on (a private system-like dbus-daemon).", Required = true };
        var state = new Option<string>("--state") { Description = "rpm-ostree status --json document; the simulator's state, rewritten atomically after every change.", Required = true };
        var registry = new Option<string?>("--registry") { Description = "Fake registry JSON: {\"<pullspec>\": {\"digest\": \"sha256:...\", \"version\": \"...\"}}; re-read on every pull." };
        var faults = new Option<string?>("--faults") { Description = "Fault knobs JSON (see docs/simulator.md); re-read on SIGHUP, or set with org.nodedaemon.Sim1.SetFaults." };
        var osname = new Option<string?>("--osname") { Description = "OS name served at /org/projectatomic/rpmostree1/<osname, - as _> (default: the booted deployment's)." };
        var runDir = new Option<string?>("--run-dir") { Description = "Directory for the transaction sockets (default: a temp dir removed at exit)." };
        var speed = new Option<double>("--speed") { Description = "Progress speed factor: 1 spreads a pull over ~1.5 s, 10 over ~150 ms.", DefaultValueFactory = _ => 1.0 };
        var activationDir = new Option<string?>("--activation-dir") { Description = "The bus's servicedir: the simulator writes its D-Bus activation file there and exits its rpm-ostreed part when idle, as rpm-ostreed does (without it: no idle exit)." };
        var command = new Command("rpm-ostreed", "Serve a simulated rpm-ostreed (org.projectatomic.rpmostree1) on a D-Bus bus. Exits 100 when the host is asked to reboot.")
        {
            bus, state, registry, faults, osname, runDir, speed, activationDir,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var args = new List<string> { SimulatorScript.ScriptPath, "--bus", parseResult.GetValue(bus)!, "--state", parseResult.GetValue(state)! };
            AddIfSet(args, "--registry", parseResult.GetValue(registry));
            AddIfSet(args, "--faults", parseResult.GetValue(faults));
            AddIfSet(args, "--osname", parseResult.GetValue(osname));
            AddIfSet(args, "--run-dir", parseResult.GetValue(runDir));
            AddIfSet(args, "--activation-dir", parseResult.GetValue(activationDir));
            args.Add("--speed");
            args.Add(parseResult.GetValue(speed).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return await RunAsync(args, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static void AddIfSet(List<string> args, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            args.Add(name);
            args.Add(value);
        }
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(SimulatorScript.Python) { UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {SimulatorScript.Python}");
        // SIGTERM/SIGHUP are the simulator's controls: hand them to the child instead of dying first.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Forward(ctx, child, 15));
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx => Forward(ctx, child, 1));
        try
        {
            await child.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: System.CommandLine cancels; stop the service the polite way and wait a bounded time.
            SignalChild(child.Id, 15);
            child.WaitForExit(5000);
        }

        return child.HasExited ? child.ExitCode : 1;
    }

    private static void Forward(PosixSignalContext context, Process child, int signal)
    {
        context.Cancel = true;
        SignalChild(child.Id, signal);
    }

    // kill(1) with an argument list, not P/Invoke: this tool stays free of unsafe code.
    private static void SignalChild(int pid, int signal)
    {
        var kill = new ProcessStartInfo("kill") { UseShellExecute = false };
        kill.ArgumentList.Add($"-{signal}");
        kill.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(kill);
        process?.WaitForExit(2000);
    }
}
