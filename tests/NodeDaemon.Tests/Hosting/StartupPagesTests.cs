using NodeDaemon.Hosting;

namespace NodeDaemon.Tests.Hosting;

/// <summary>Which mappings the start-up release may drop: only read-only mappings of regular files that are exactly the
/// file (no copy-on-write page), never a writable or relocated one, a deleted file, a device, a memfd or anonymous memory.</summary>
public sealed class StartupPagesTests
{
    private const string Exe = "/usr/bin/nodedaemon";

    public static TheoryData<string, string, long?, bool> Table => new()
    {
        // perms, path, Anonymous kB (null: the line is missing), chosen
        { "r-xp", Exe, 0, true },
        { "r--p", Exe, 0, true },
        { "rw-p", Exe, 0, false },
        { "r--p", Exe, 4, false },
        { "r--p", Exe, null, false },
        { "r-xp", "/usr/lib64/libcrypto.so.3", 0, true },
        { "r--p", "/usr/lib64/libcrypto.so.3", 16, false },
        { "r-xp", Exe + " (deleted)", 0, false },
        { "r--s", "/dev/dri/card0", 0, false },
        { "r--s", "/memfd:doublemapper (deleted)", 0, false },
        { "r--p", "[vvar]", 0, false },
        { "rw-p", "", 0, false },
        { "r--p", "", 0, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Only_clean_read_only_mappings_of_regular_files(string perms, string path, long? anonymousKb, bool chosen)
    {
        var smaps = Mapping("55b7a32cb000-55b7a3936000", perms, path, anonymousKb);

        var releasable = StartupPages.Releasable(smaps);

        Assert.Equal(chosen ? [(0x55b7a32cb000UL, 0x66b000UL)] : [], releasable);
    }

    [Fact]
    public void Each_mapping_is_judged_by_its_own_lines()
    {
        var smaps = Mapping("1000-3000", "r-xp", Exe, 0)
            + Mapping("3000-4000", "r--p", Exe, 8)
            + Mapping("4000-6000", "r--p", Exe, 0)
            + Mapping("6000-7000", "rw-p", Exe, 4);

        Assert.Equal([(0x1000UL, 0x2000UL), (0x4000UL, 0x2000UL)], StartupPages.Releasable(smaps));
    }

    private static string Mapping(string range, string perms, string path, long? anonymousKb) =>
        $"{range} {perms} 00000000 fd:01 1234 {path}\nSize:               6572 kB\nRss:                6188 kB\n"
        + (anonymousKb is { } kb ? $"Anonymous:          {kb} kB\n" : "")
        + "VmFlags: rd ex mr mw me\n";
}
