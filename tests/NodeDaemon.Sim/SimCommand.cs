using System.CommandLine;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.Sim;

/// <summary>The <c>nodedaemon-sim</c> command line: one verb per piece of the simulated world.</summary>
internal static class SimCommand
{
    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create() => new("nodedaemon-sim: the simulated world NodeDaemon is tested in (see docs/simulator.md).")
    {
        RpmOstreedCommand.Create(),
        BootCommand.Create(),
        ApiServerCommand.Create(),
        Scenarios.ScenarioCommand.Create(),
        Fleet.FleetCommand.Create(),
    };
}
