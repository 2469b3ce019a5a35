namespace NodeDaemon.Sim.RpmOstree;

/// <summary>Where the GDBus (Python) rpm-ostreed service lives next to the binary, and which interpreter runs it.</summary>
public static class SimulatorScript
{
    /// <summary>Debian's interpreter: the one that has python3-gi (a pyenv <c>python3</c> on PATH does not).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The service's entry script in the build output.</summary>
    public static string ScriptPath { get; } = Path.Combine(AppContext.BaseDirectory, "RpmOstree", "python", "rpmostreed_sim.py");

    /// <summary>The copy of the interface subset the service exports.</summary>
    public static string InterfaceXmlPath { get; } =
        Path.Combine(AppContext.BaseDirectory, "RpmOstree", "org.projectatomic.rpmostree1.subset.xml");

    /// <summary>Exit code of a simulator that was asked to reboot the host (FinalizeDeployment, reboot=true, login1).</summary>
    public const int RebootExitCode = 100;
}
