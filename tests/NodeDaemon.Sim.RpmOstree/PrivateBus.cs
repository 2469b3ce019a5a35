using System.Diagnostics;

namespace NodeDaemon.Sim.Harness;

/// <summary>A private <c>dbus-daemon</c> configured like a system bus, listening on a socket in its own temp dir.</summary>
/// <remarks>The policy lets every local user (our tests run as root) own any name and call anything: the bus stands
/// in for the system bus of a node, where rpm-ostreed and login1 live, without touching the machine's real bus.</remarks>
public sealed class PrivateBus : IDisposable
{
    private readonly TempDirectory _dir;
    private readonly Process _daemon;

    private PrivateBus(TempDirectory dir, Process daemon, string address)
    {
        _dir = dir;
        _daemon = daemon;
        Address = address;
    }

    /// <summary>The bus address as dbus-daemon printed it (<c>unix:path=...,guid=...</c>).</summary>
    public string Address { get; }

    /// <summary>The bus's <c>servicedir</c>: a <c>.service</c> file there lets the bus start (activate) its name's owner.</summary>
    public string ServiceDirectory => _dir.File("services");

    /// <summary>Starts the daemon and waits (bounded) until it prints its address.</summary>
    public static async Task<PrivateBus> StartAsync(TimeSpan? timeout = null)
    {
        var dir = new TempDirectory("nodedaemon-bus-");
        Process? daemon = null;
        try
        {
            var config = dir.File("system.conf");
            Directory.CreateDirectory(dir.File("services"));
            await File.WriteAllTextAsync(config, Config(dir.File("bus.sock"), dir.File("services"))).ConfigureAwait(false);
            daemon = Process.Start(Tool.StartInfo("dbus-daemon", [$"--config-file={config}", "--nofork", "--print-address"]))
                ?? throw new InvalidOperationException("could not start dbus-daemon");
            _ = daemon.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
            var address = await daemon.StandardOutput.ReadLineAsync(cts.Token).ConfigureAwait(false);
            if (string.IsNullOrEmpty(address))
            {
                throw new InvalidOperationException("dbus-daemon exited without printing an address");
            }

            return new PrivateBus(dir, daemon, address.Trim());
        }
        catch
        {
            Stop(daemon);
            dir.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop(_daemon);
        _dir.Dispose();
    }

    private static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
    }

    // No <servicehelper>: dbus-daemon then runs an activation file's Exec itself, with DBUS_STARTER_ADDRESS set.
    private static string Config(string socket, string services) => $"""
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>system</type>
          <listen>unix:path={socket}</listen>
          <auth>EXTERNAL</auth>
          <servicedir>{services}</servicedir>
          <policy context="default">
            <allow user="*"/>
            <allow own="*"/>
            <allow send_destination="*" eavesdrop="true"/>
            <allow receive_sender="*"/>
            <allow eavesdrop="true"/>
          </policy>
        </busconfig>
        """;
}
