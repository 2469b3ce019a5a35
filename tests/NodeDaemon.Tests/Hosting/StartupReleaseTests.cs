using System.Globalization;
using System.IO.MemoryMappedFiles;
using NodeDaemon.Hosting;

namespace NodeDaemon.Tests.Hosting;

/// <summary>The start-up release on a real mapping of this process: the file's resident pages go, and reading them
/// again gives the file's bytes back (nothing is lost, the page cache maps them again).</summary>
public sealed class StartupReleaseTests
{
    [Fact]
    public void Resident_pages_of_a_read_only_file_mapping_are_let_go_and_read_back_intact()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nodedaemon-release-{Guid.NewGuid():N}.bin");
        try
        {
            var bytes = new byte[1024 * 1024];
            new Random(7).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
            using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            var sum = Touch(view, bytes.Length);
            Assert.True(ResidentKb(path) > 0, "the mapping should be resident after reading it");

            var released = StartupRelease.ReleasePages();

            Assert.True(released >= (ulong)bytes.Length, $"released {released} bytes");
            Assert.Equal(0, ResidentKb(path));
            Assert.Equal(sum, Touch(view, bytes.Length));
            Assert.Equal(bytes.Sum(b => (long)b), sum);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long Touch(MemoryMappedViewAccessor view, int length)
    {
        long sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += view.ReadByte(i);
        }

        return sum;
    }

    /// <summary>The resident kB of this process's mappings of <paramref name="path"/>, from smaps.</summary>
    private static long ResidentKb(string path)
    {
        long total = 0;
        var ours = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].Contains('-', StringComparison.Ordinal) && !parts[0].EndsWith(':'))
            {
                ours = parts.Length > 5 && string.Join(' ', parts[5..]) == path;
            }
            else if (ours && parts.Length >= 2 && parts[0] == "Rss:")
            {
                total += long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
