using NodeDaemon.State;
using NodeDaemon.Tests.Cli;

namespace NodeDaemon.Tests.State;

/// <summary>A state directory whose notes would not survive a reboot is refused before the daemon runs.</summary>
public sealed class StateDirectoryCheckTests : IDisposable
{
    // Shaped like Fedora CoreOS: / on composefs, /var on xfs, /run and /tmp on tmpfs; plus a path with an escaped space.
    private const string MountInfo = """
        22 1 0:21 / / ro,relatime shared:1 - overlay composefs ro,lowerdir=/x
        60 22 259:4 /ostree/deploy/fedora-coreos/var /var rw,relatime shared:4 - xfs /dev/nvme0n1p4 rw,prjquota
        25 22 0:23 / /run rw,nosuid,nodev shared:12 - tmpfs tmpfs rw,mode=755
        26 22 0:24 / /tmp rw,nosuid,nodev shared:13 - tmpfs tmpfs rw
        61 60 0:40 / /var/lib/ram\040disk rw shared:40 - ramfs none rw
        62 22 0:41 / /dev/shm rw shared:41 master:2 - tmpfs tmpfs rw
        """;

    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("nodedaemon-statedir-");

    private static IReadOnlyList<string> Check(string directory) => StateDirectoryCheck.Problems(directory, MountInfo, d => d);

    [Theory]
    [InlineData("/var/lib/nodedaemon")]
    [InlineData("/var/lib/nodedaemon/")]
    [InlineData("/var/lib/ram")]
    public void A_directory_on_persistent_storage_is_fine(string directory)
    {
        Assert.Empty(Check(directory));
    }

    [Theory]
    [InlineData("/run/nodedaemon", "tmpfs")]
    [InlineData("/tmp", "tmpfs")]
    [InlineData("/dev/shm/nodedaemon", "tmpfs")]
    [InlineData("/var/lib/ram disk/nodedaemon", "ramfs")]
    public void A_directory_on_memory_is_refused_naming_the_file_system(string directory, string type)
    {
        var problem = Assert.Single(Check(directory));

        Assert.StartsWith($"stateDirectory: {directory} is on {type}", problem, StringComparison.Ordinal);
        Assert.Contains("does not survive a reboot", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "root directory")]
    [InlineData("//", "root directory")]
    [InlineData("var/lib/nodedaemon", "absolute path")]
    [InlineData("/var/lib/../../run/nodedaemon", "'..' segments")]
    [InlineData("/var/lib/./nodedaemon", "'..' segments")]
    public void A_path_that_cannot_be_trusted_is_refused(string directory, string words)
    {
        Assert.Contains(words, Assert.Single(Check(directory)), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_mount_table_only_the_path_is_checked()
    {
        Assert.Empty(StateDirectoryCheck.Problems("/run/nodedaemon", mountInfo: null, d => d));
    }

    [Theory]
    [InlineData("validate-config")]
    [InlineData("run")]
    public void A_tmpfs_state_directory_on_this_machine_is_refused_before_anything_starts(string verb)
    {
        var directory = TmpfsMountPoint() + "/nodedaemon-state-check";
        File.WriteAllText(Path.Combine(_config.FullName, "50-state.json"), $$"""{ "stateDirectory": "{{directory}}" }""");

        var result = CliRunner.Run(verb, "--config-dir", _config.FullName);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: stateDirectory: {directory} is on tmpfs", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    /// <summary>A writable tmpfs of this machine (/dev/shm, /run or /tmp on any Linux).</summary>
    private static string TmpfsMountPoint()
    {
        var table = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Select(f => (Point: f[4], Type: f[Array.IndexOf(f, "-") + 1]));
        return table.First(m => m.Type == "tmpfs" && m.Point is "/dev/shm" or "/run" or "/tmp").Point;
    }

    public void Dispose() => _config.Delete(recursive: true);
}
