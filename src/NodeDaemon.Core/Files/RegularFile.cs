using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace NodeDaemon.Core.Files;

/// <summary>Reads a file an operator named, refusing anything that is not a bounded regular file of UTF-8 text.</summary>
/// <remarks>
/// A path may name a FIFO (open blocks until a writer comes), <c>/dev/zero</c> or <c>/dev/urandom</c> (reads never
/// end), or a directory. So the file is opened with O_NONBLOCK (a FIFO open returns at once), its type is read from
/// the open descriptor with statx (no window between the check and the read), and at most the cap is read.
/// It lives in Core, the one project every reader of an operator-named file sees: the configuration, the kubeconfig's
/// certificate files, the registry credentials, the boot id.
/// </remarks>
public static partial class RegularFile
{
    private const int O_RDONLY = 0, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    private const int AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100, AT_FDCWD = -100, ENOENT = 2, ENOTDIR = 20;
    private const uint STATX_TYPE = 0x1, STATX_SIZE = 0x200;  // stx_rdev_* are always filled
    private const int S_IFMT = 0xF000, S_IFREG = 0x8000;

    // struct statx (linux/stat.h) is the same on every architecture: stx_mode is a u16 at 28, stx_size a u64 at 40,
    // stx_rdev_major and stx_rdev_minor u32s at 128 and 132.
    private const int StatxSize = 256, ModeOffset = 28, SizeOffset = 40, RdevMajorOffset = 128, RdevMinorOffset = 132;
    private const int S_IFCHR = 0x2000;

    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text of <paramref name="path"/>; throws <see cref="IOException"/> whose message says what is wrong, without the path.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">It cannot be opened, is not a regular file, is larger than <paramref name="maxBytes"/> or is not UTF-8.</exception>
    public static string ReadText(string path, int maxBytes)
    {
        var bytes = ReadBytes(path, maxBytes);
        try
        {
            var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            return s_strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            throw new IOException($"it is not UTF-8 text (an invalid byte near offset {e.Index.ToString(CultureInfo.InvariantCulture)})", e);
        }
    }

    /// <summary>The bytes of <paramref name="path"/>, refused as <see cref="ReadText"/> refuses, except that any bytes are accepted.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">It cannot be opened, is not a regular file or is larger than <paramref name="maxBytes"/>.</exception>
    public static byte[] ReadBytes(string path, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new IOException("not a file path (empty or containing a NUL character)");
        }

        using var handle = Open(path);
        var (mode, size, device) = Stat(handle);
        if ((mode & S_IFMT) == S_IFCHR && device == (1, 3))
        {
            // /dev/null, usually through a symlink: systemd's way of masking a drop-in. It reads as empty.
            return [];
        }

        if ((mode & S_IFMT) != S_IFREG)
        {
            throw new IOException($"it is {TypeName(mode)}, not a regular file");
        }

        if (size > (ulong)maxBytes)
        {
            throw new IOException($"it is {size.ToString(CultureInfo.InvariantCulture)} bytes, more than the {Size(maxBytes)} allowed");
        }

        return ReadAtMost(handle, maxBytes);
    }

    /// <summary>What is at <paramref name="path"/> itself, a symlink not followed (lstat); null when nothing is.</summary>
    /// <exception cref="IOException">The path cannot be looked at (permission, a file where a directory should be).</exception>
    public static string? KindOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var buffer = new byte[StatxSize];
        if (NativeStatx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENOENT ? null : throw new IOException(Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant());
        }

        return BitConverter.ToUInt16(buffer, ModeOffset) is var mode && (mode & S_IFMT) == S_IFREG ? Regular : TypeName(mode);
    }

    /// <summary>What <see cref="KindOf"/> answers for a regular file.</summary>
    public const string Regular = "a regular file";

    /// <summary>What <see cref="KindOf"/> answers for a socket.</summary>
    public const string Socket = "a socket";

    private static SafeFileHandle Open(string path)
    {
        var fd = NativeOpen(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var message = Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant();
            // Its own type, so that a caller for whom a missing file is normal (an optional pull secret) can say so.
            throw errno is ENOENT or ENOTDIR ? new FileNotFoundException(message) : new IOException(message);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static (int Mode, ulong Size, (uint Major, uint Minor) Device) Stat(SafeFileHandle handle)
    {
        var buffer = new byte[StatxSize];
        if (NativeStatx((int)handle.DangerousGetHandle(), "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, buffer) != 0)
        {
            throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()).ToLowerInvariant());
        }

        return (BitConverter.ToUInt16(buffer, ModeOffset), BitConverter.ToUInt64(buffer, SizeOffset),
            (BitConverter.ToUInt32(buffer, RdevMajorOffset), BitConverter.ToUInt32(buffer, RdevMinorOffset)));
    }

    // The size from statx may be stale (a file still being written): the read stops one byte past the cap and refuses.
    private static byte[] ReadAtMost(SafeFileHandle handle, int maxBytes)
    {
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var buffer = new byte[Math.Min(maxBytes + 1L, 64 * 1024)];
        using var content = new MemoryStream();
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > maxBytes)
            {
                throw new IOException($"it grew past the {Size(maxBytes)} allowed while being read");
            }
        }

        return content.ToArray();
    }

    private static string TypeName(int mode) => (mode & S_IFMT) switch
    {
        0x4000 => "a directory",
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => Socket,
        0xA000 => "a symbolic link",
        _ => "not a regular file",
    };

    private static string Size(int bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeOpen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeStatx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
