using NodeDaemon.Agent;

namespace NodeDaemon.Sim.Fleet;

/// <summary>A simulated machine's boot id: fixed for a boot, new after every simulated reboot.</summary>
public sealed class SimulatedBootId(string id) : IBootIdSource
{
    /// <inheritdoc />
    public string Read() => id;
}
