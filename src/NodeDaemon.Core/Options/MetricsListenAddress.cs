using System.Globalization;
using System.Net;
using System.Text;

namespace NodeDaemon.Core.Options;

/// <summary>A parsed <c>metrics.listen</c>: a loopback TCP address and port, or a unix socket path.</summary>
/// <remarks>
/// Loopback only, on purpose: the endpoint has no authentication and tells anyone who reaches it which image the
/// node runs and when it will reboot. A scraper elsewhere reaches it through the node's own agent or a proxy that
/// adds authentication; names (<c>localhost</c>) are refused because resolving them is I/O and may not give loopback.
/// </remarks>
public sealed record MetricsListenAddress
{
    /// <summary>The prefix that marks a unix socket path.</summary>
    public const string UnixPrefix = "unix:";

    /// <summary>sun_path holds 108 bytes with the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    private MetricsListenAddress()
    {
    }

    /// <summary>The loopback address of a TCP listener; null for a unix socket.</summary>
    public IPAddress? Address { get; private init; }

    /// <summary>The TCP port; 0 for a unix socket (and, from <see cref="Tcp"/> only, "any free port", for tests).</summary>
    public int Port { get; private init; }

    /// <summary>The absolute path of a unix socket; null for TCP.</summary>
    public string? SocketPath { get; private init; }

    /// <summary>A TCP listener on <paramref name="address"/>, which must be loopback.</summary>
    public static MetricsListenAddress Tcp(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return IPAddress.IsLoopback(address)
            ? new MetricsListenAddress { Address = address, Port = port }
            : throw new ArgumentException($"{address} is not a loopback address", nameof(address));
    }

    /// <summary>A unix socket at <paramref name="path"/>.</summary>
    public static MetricsListenAddress Unix(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new MetricsListenAddress { SocketPath = path };
    }

    /// <summary>
    /// Parses <paramref name="text"/>; true with a null <paramref name="address"/> for empty (metrics off), false with a
    /// one-line <paramref name="error"/> (what is allowed, then the value) otherwise.
    /// </summary>
    public static bool TryParse(string? text, out MetricsListenAddress? address, out string? error)
    {
        address = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        error = text.StartsWith(UnixPrefix, StringComparison.Ordinal) ? ParseUnix(text, out address) : ParseTcp(text, out address);
        return error is null;
    }

    /// <summary>
    /// Whether the unix socket lies inside <paramref name="directory"/> (compared lexically, repeated slashes ignored):
    /// the daemon's own files live there, and a socket path among them could replace one.
    /// </summary>
    public bool IsInside(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (SocketPath is null)
        {
            return false;
        }

        var parent = Segments(directory);
        var socket = Segments(SocketPath);
        return socket.Count >= parent.Count && socket.Take(parent.Count).SequenceEqual(parent, StringComparer.Ordinal);
    }

    // "..", "." and empty segments resolved the way the kernel would for a path without symlinks.
    private static List<string> Segments(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        return segments;
    }

    /// <summary>The form written in the configuration.</summary>
    public override string ToString() => SocketPath is { } path
        ? UnixPrefix + path
        : Address!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Address}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";

    private static string? ParseUnix(string text, out MetricsListenAddress? address)
    {
        address = null;
        var path = text[UnixPrefix.Length..];
        if (!path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal) || path.EndsWith('/'))
        {
            return $"must be unix: followed by an absolute file path like \"unix:/run/nodedaemon/metrics.sock\", got {ValueText.Quote(text)}";
        }

        if (path.Split('/').Any(segment => segment is "." or "..") || path.Any(char.IsControl))
        {
            return $"must name the socket path plainly (no \".\" or \"..\" segments, no control characters), got {ValueText.Quote(text)}";
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxSocketPathBytes)
        {
            return $"must name a socket path of at most {MaxSocketPathBytes} bytes (the kernel's limit), got {ValueText.Quote(text)}";
        }

        address = Unix(path);
        return null;
    }

    private static string? ParseTcp(string text, out MetricsListenAddress? address)
    {
        address = null;
        const string Allowed = "must be empty, \"127.0.0.1:PORT\", \"[::1]:PORT\" or \"unix:/PATH\"";
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return $"{Allowed}, got {ValueText.Quote(text)}";
        }

        var host = text[..colon];
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
        {
            host = host[1..^1];
        }

        if (!IPAddress.TryParse(host, out var ip) || host.Contains('%', StringComparison.Ordinal)
            || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != bracketed)
        {
            // An IPv6 address needs brackets, or its last group would read as the port.
            return $"{Allowed} (an IP address, not a host name; IPv6 in brackets), got {ValueText.Quote(text)}";
        }

        if (!IPAddress.IsLoopback(ip))
        {
            return $"must be a loopback address (127.0.0.0/8 or [::1]): the endpoint has no authentication and shows the node's image and reboots; "
                + $"scrape it on the node or through a unix socket, got {ValueText.Quote(text)}";
        }

        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return $"must end in a port between 1 and 65535, got {ValueText.Quote(text)}";
        }

        address = Tcp(ip, port);
        return null;
    }
}
