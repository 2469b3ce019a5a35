using System.CommandLine;

namespace NodeDaemon.Sim.RpmOstree;

/// <summary>Placeholder for the <c>boot</c> verb while it is being built; replaced by its real implementation.</summary>
internal static class BootCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create() => new("boot", "(being built)");
}
