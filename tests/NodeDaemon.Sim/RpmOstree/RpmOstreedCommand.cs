using System.CommandLine;

namespace NodeDaemon.Sim.RpmOstree;

/// <summary>Placeholder for the <c>rpm-ostreed</c> verb while it is being built; replaced by its real implementation.</summary>
internal static class RpmOstreedCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create() => new("rpm-ostreed", "(being built)");
}
