using System.Net.Sockets;

namespace NodeDaemon.Metrics;

/// <summary>The file of a listening unix socket: a stale one from a crashed run is replaced, a live one is not.</summary>
internal static class UnixSocketFile
{
    /// <summary>
    /// Makes <paramref name="path"/> free to bind: creates its directory, and removes a socket nobody listens on any
    /// more (a crash or SIGKILL leaves it behind). Returns whether one was removed.
    /// </summary>
    /// <exception cref="IOException">Something still listens on it: another daemon serves this path.</exception>
    public static bool PrepareToBind(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            return false;
        }

        // A connect tells a live socket from a stale one without reading the file type (no lstat in .NET).
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path);
            return true;
        }

        throw new IOException($"{path} is in use: another process listens on it");
    }

    /// <summary>Limits the socket to its owner (root under systemd): connecting needs write permission on it.</summary>
    public static void RestrictToOwner(string path) => File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>Removes the socket at <paramref name="path"/> if it is there (.NET unlinks it on close already; this
    /// makes sure of it whatever the runtime does).</summary>
    public static void Remove(string path) => File.Delete(path);
}
