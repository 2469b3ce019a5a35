using NodeDaemon.Core.Files;

namespace NodeDaemon.Agent;

/// <summary>The kernel's id of the current boot, which changes on every boot: how the agent recognises its reboot.</summary>
public interface IBootIdSource
{
    /// <summary>Reads the current boot id.</summary>
    string Read();
}

/// <summary>Reads the boot id from a file, by default the kernel's <c>/proc/sys/kernel/random/boot_id</c>.</summary>
public sealed class FileBootIdSource(string path = FileBootIdSource.KernelPath) : IBootIdSource
{
    /// <summary>Where Linux publishes the boot id.</summary>
    public const string KernelPath = "/proc/sys/kernel/random/boot_id";

    /// <inheritdoc />
    /// <remarks>The path may be the <c>bootIdFile</c> option: a FIFO there would hang every turn, so it is read as a
    /// bounded regular file (the kernel's proc file is one).</remarks>
    public string Read() => RegularFile.ReadText(path, MaxBytes).Trim();

    // A boot id is 37 bytes; a page is more than any honest file holds.
    private const int MaxBytes = 4096;
}
