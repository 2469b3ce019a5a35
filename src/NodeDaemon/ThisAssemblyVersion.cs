using System.Reflection;

namespace NodeDaemon;

/// <summary>The version stamped into the binary at build time.</summary>
internal static class ThisAssemblyVersion
{
    /// <summary>The informational version (the project version, plus the commit when the build knows it).</summary>
    public static string Informational { get; } =
        typeof(ThisAssemblyVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";
}
