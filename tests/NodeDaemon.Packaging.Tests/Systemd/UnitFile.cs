using NodeDaemon.Packaging.Tests.Support;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Systemd;

/// <summary>The repository's unit, and a copy of it that systemd-analyze can check on a machine without nodedaemon.</summary>
internal static class UnitFile
{
    /// <summary>The ExecStart= line the RPM relies on.</summary>
    public const string ExecStart = "ExecStart=/usr/bin/nodedaemon run";

    /// <summary><c>systemd/nodedaemon.service</c>.</summary>
    public static string Path { get; } = System.IO.Path.Combine(RepositoryPaths.Root, "systemd", "nodedaemon.service");

    /// <summary>Writes the unit into <paramref name="directory"/> with ExecStart= pointing at <c>/usr/bin/true</c>.</summary>
    /// <remarks>systemd-analyze verify fails a unit whose ExecStart= binary is missing, but never runs it. /usr/bin/true
    /// (coreutils, on every machine) stands in rather than the published AOT binary, which the tests must not wait
    /// for; everything else, ExecStartPre=+/usr/bin/mkdir included, is checked as shipped.</remarks>
    public static string CopyForVerify(TempDirectory directory)
    {
        var text = File.ReadAllText(Path);
        Assert.Contains(ExecStart + "\n", text, StringComparison.Ordinal);
        var copy = directory.Combine("nodedaemon.service");
        File.WriteAllText(copy, text.Replace(ExecStart, "ExecStart=/usr/bin/true run", StringComparison.Ordinal));
        return copy;
    }
}
