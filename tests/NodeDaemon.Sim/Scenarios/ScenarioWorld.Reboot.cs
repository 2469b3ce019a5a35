using System.Text.Json.Nodes;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Reboots of the scenario's host: the one the daemon asked for, and one nobody planned.</summary>
public sealed partial class ScenarioWorld
{
    /// <summary>A reboot nobody planned (a power cut, an admin): rpm-ostreed is killed wherever it is, then as <see cref="RebootAsync"/>.</summary>
    public async Task UnplannedRebootAsync()
    {
        Host.Kill();
        await RebootAsync().ConfigureAwait(false);
    }

    /// <summary>The simulated boot's start, unix seconds as <c>/proc/stat</c>'s <c>btime</c>, in the file <c>boot_time</c>
    /// beside <c>boot_id</c>: the machine's own btime is hours before any simulated boot, so a check of "Ready since this
    /// boot" needs this one. On the API server's clock, as the kubelet model's timestamps.</summary>
    private void WriteBootTime() =>
        File.WriteAllText(_dir.File("boot_time"), $"{Api.Store.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)}\n");

    /// <summary>The reboot: stop the daemon (SIGTERM, then SIGKILL), boot the host state, new boot id, start both again.</summary>
    private async Task RebootAsync()
    {
        // The shutdown stops the service: SIGTERM, SIGKILL after TimeoutStopSec=; no restart.
        _service.Stop();
        var state = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(Host.StatePath).ConfigureAwait(false))!;
        var faults = JsonNode.Parse(await File.ReadAllTextAsync(Host.FaultsPath).ConfigureAwait(false));
        var booted = BootTransition.Apply(state, BootFaults.Parse(faults));
        await File.WriteAllTextAsync(Host.StatePath, state.ToJsonString()).ConfigureAwait(false);
        Boot++;
        await File.WriteAllTextAsync(_dir.File("boot_id"), $"scenario-boot-{Boot}\n").ConfigureAwait(false);
        WriteBootTime();
        if (_kubelet)
        {
            // The machine is up: its kubelet starts with the daemon, as the booted image lets it.
            Api.BootNode(_nodeName, booted.BootedDigest);
        }

        BootEventsStart = Host.Events.Count;
        if (_stateDisk is { } disk && Boot == _diskFullFromBoot)
        {
            // After the reboot, before the daemon verifies: the next write of its notes meets ENOSPC.
            var bytes = disk.Fill();
            Said?.Invoke($"chaos: the state directory's file system filled ({bytes / 1024} KiB written, no block left)");
        }

        await Host.RestartAsync().ConfigureAwait(false);
        // A new boot: the unit starts afresh (its start-limit counter is gone with the old systemd).
        _service.Start(resetStartLimit: true);
    }
}
