using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Tests.Support;

/// <summary>Starts the <c>nodedaemon</c> built next to the tests (the JIT build; the scenario tests use the AOT binary).</summary>
internal static class TestDaemon
{
    private static readonly DaemonCommandLine s_command = DaemonCommandLine.Jit(Path.Combine(AppContext.BaseDirectory, "nodedaemon.dll"));

    /// <summary>Starts it with an argument list and exactly these environment variables on top of a clean one.</summary>
    public static DaemonProcess Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment) =>
        DaemonProcess.Start(s_command, args, environment);
}
