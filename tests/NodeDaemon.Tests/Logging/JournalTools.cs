namespace NodeDaemon.Tests.Logging;

/// <summary>Finds systemd's own journal tools; their absence fails the test and names the Debian package.</summary>
internal static class JournalTools
{
    /// <summary>Debian installs it outside PATH, in systemd's libexec directory.</summary>
    public static string JournalRemote() =>
        Find("systemd-journal-remote", ["/usr/lib/systemd", "/lib/systemd"], "systemd-journal-remote");

    public static string Journalctl() => Find("journalctl", [], "systemd");

    private static string Find(string name, string[] extraDirectories, string debianPackage)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in extraDirectories.Concat(path))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new Xunit.Sdk.XunitException(
            $"'{name}' is not installed, so the journald sink cannot be checked against the real journal. " +
            $"Install the Debian package '{debianPackage}' (apt-get install -y {debianPackage}); './build.sh test' does it for you.");
    }
}
