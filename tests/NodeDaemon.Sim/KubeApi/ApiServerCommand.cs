using System.CommandLine;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>Placeholder for the <c>apiserver</c> verb while it is being built; replaced by its real implementation.</summary>
internal static class ApiServerCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create() => new("apiserver", "(being built)");
}
