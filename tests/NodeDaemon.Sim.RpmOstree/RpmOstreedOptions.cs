namespace NodeDaemon.Sim.Harness;

/// <summary>How to seed a simulated rpm-ostreed.</summary>
/// <param name="StateSource">An rpm-ostree status --json file; the simulator works on a copy of it.</param>
/// <param name="RegistryJson">The fake registry's content, or null for an empty registry.</param>
/// <param name="FaultsJson">The fault knobs' content, or null for a healthy host.</param>
/// <param name="Speed">Progress speed factor; 7.5 makes a pull take ~200 ms.</param>
/// <param name="OsName">The OS name to serve, or null for the booted deployment's.</param>
public sealed record RpmOstreedOptions(
    string StateSource,
    string? RegistryJson = null,
    string? FaultsJson = null,
    double Speed = 7.5,
    string? OsName = null);
