using System.Diagnostics;
using NodeDaemon.Core.Files;

namespace NodeDaemon.Core.Tests.Files;

/// <summary>Operator-named files: only a bounded regular file is read; anything else is refused at once, in words.</summary>
public sealed class RegularFileTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-regular-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public async Task A_FIFO_is_refused_without_waiting_for_a_writer()
    {
        var fifo = NodeDaemon.Tests.Shared.Fifo.Create(PathOf("fifo"));

        // Bounded: a plain read would block here until a writer opened the FIFO, which none ever does.
        var error = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => RegularFile.ReadBytes(fifo, 1024)).WaitAsync(s_bound));
        Assert.Equal("it is a FIFO (named pipe), not a regular file", error.Message);
    }

    [Theory]
    [InlineData("/dev/zero", "it is a character device, not a regular file")]
    [InlineData("/dev/urandom", "it is a character device, not a regular file")]
    [InlineData("/", "it is a directory, not a regular file")]
    public void Devices_and_directories_are_refused(string path, string expected)
    {
        Assert.Equal(expected, Assert.Throws<IOException>(() => RegularFile.ReadBytes(path, 1024)).Message);
    }

    [Fact]
    public void A_missing_file_is_its_own_kind_so_an_optional_file_can_be_absent()
    {
        Assert.Throws<FileNotFoundException>(() => RegularFile.ReadBytes(PathOf("absent"), 1024));
        Assert.Throws<FileNotFoundException>(() => RegularFile.ReadBytes(PathOf("absent/below"), 1024));
    }

    [Fact]
    public void A_file_over_the_cap_is_refused_with_both_sizes()
    {
        var path = PathOf("big");
        File.WriteAllBytes(path, new byte[2048]);

        Assert.Equal("it is 2048 bytes, more than the 1024 bytes allowed",
            Assert.Throws<IOException>(() => RegularFile.ReadBytes(path, 1024)).Message);
        Assert.Equal(2048, RegularFile.ReadBytes(path, 2048).Length);
    }

    [Fact]
    public void Bytes_are_read_whatever_they_are_but_text_must_be_UTF8()
    {
        var path = PathOf("binary");
        File.WriteAllBytes(path, [0x7B, 0xFF, 0x7D]);

        Assert.Equal([0x7B, 0xFF, 0x7D], RegularFile.ReadBytes(path, 1024));
        Assert.StartsWith("it is not UTF-8 text", Assert.Throws<IOException>(() => RegularFile.ReadText(path, 1024)).Message);
    }

    [Fact]
    public void A_proc_file_that_reports_size_zero_is_read_and_dev_null_reads_empty()
    {
        // The kernel's boot id is a regular file of size 0 to stat(2): the content is read, not the size trusted.
        Assert.Equal(36, RegularFile.ReadText("/proc/sys/kernel/random/boot_id", 4096).Trim().Length);
        Assert.Empty(RegularFile.ReadBytes("/dev/null", 1024));
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
