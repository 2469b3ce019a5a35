namespace NodeDaemon.Sim.Harness;

/// <summary>How to run <c>nodedaemon</c>: the published native binary, or the JIT build through the dotnet host.</summary>
/// <param name="FileName">The executable.</param>
/// <param name="Prefix">Arguments that come before the daemon's own (the dll for the JIT build).</param>
public sealed record DaemonCommandLine(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>The published Native AOT binary.</summary>
    public static DaemonCommandLine Native(string path) => new(Path.GetFullPath(path), []);

    /// <summary>The JIT build's <c>nodedaemon.dll</c>, run by the dotnet host that runs the caller.</summary>
    public static DaemonCommandLine Jit(string dllPath) =>
        // The dotnet CLI names itself to the processes it runs; fall back to PATH.
        new(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dllPath]);
}
