using System.Net.Sockets;
using NodeDaemon.Core.Files;

namespace NodeDaemon.Metrics;

/// <summary>The file of a listening unix socket: a stale one from a crashed run is replaced, a live one is not.</summary>
internal static class UnixSocketFile
{
    /// <summary>
    /// Makes <paramref name="path"/> free to bind: creates its directory, and removes a socket nobody listens on any
    /// more (a crash or SIGKILL leaves it behind). Returns whether one was removed. Only a socket is ever removed: a
    /// regular file, a symlink or anything else at the path is refused, so a mistyped <c>metrics.listen</c> never
    /// deletes a file.
    /// </summary>
    /// <exception cref="IOException">Something still listens on it, or the path holds something that is not a socket.</exception>
    public static bool PrepareToBind(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var kind = RegularFile.KindOf(path);
        if (kind is null)
        {
            return false;
        }

        if (kind != RegularFile.Socket)
        {
            throw new IOException($"{path} is {kind}, not a socket: not removed; point metrics.listen at a free path");
        }

        // A connect tells a live socket from a stale one.
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // lstat again just before the unlink: the path is ours to remove only while it is still a socket.
            if (RegularFile.KindOf(path) != RegularFile.Socket)
            {
                throw new IOException($"{path} changed while being checked: not removed", e);
            }

            File.Delete(path);
            return true;
        }

        throw new IOException($"{path} is in use: another process listens on it");
    }

    /// <summary>Limits the socket to its owner (root under systemd): connecting needs write permission on it.</summary>
    public static void RestrictToOwner(string path) => File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>Removes the socket at <paramref name="path"/> if it is there (.NET unlinks it on close already; this
    /// makes sure of it whatever the runtime does).</summary>
    public static void Remove(string path)
    {
        // Only a socket: whatever replaced ours at the path meanwhile is not ours to delete.
        if (RegularFile.KindOf(path) == RegularFile.Socket)
        {
            File.Delete(path);
        }
    }
}
