using System.Text;

namespace NodeDaemon.Metrics;

/// <summary>The parts of an HTTP/1.x request head the endpoint routes on: the method and the path (query dropped).</summary>
/// <param name="Method">The method token, as sent (methods are case-sensitive).</param>
/// <param name="Path">The path of an origin-form target, without <c>?query</c>.</param>
internal sealed record RequestHead(string Method, string Path)
{
    /// <summary>The most a request head may take; a scraper sends a few hundred bytes.</summary>
    public const int MaxBytes = 8192;

    /// <summary>Where the head ends in <paramref name="received"/> (after its blank line), or -1 while it has not.</summary>
    public static int EndOf(ReadOnlySpan<byte> received)
    {
        // RFC 9112 allows a bare LF as the line end; CRLF is what clients send.
        var crlf = received.IndexOf("\r\n\r\n"u8);
        var lf = received.IndexOf("\n\n"u8);
        return (crlf, lf) switch
        {
            (< 0, < 0) => -1,
            (>= 0, < 0) => crlf + 4,
            (< 0, >= 0) => lf + 2,
            _ => Math.Min(crlf + 4, lf + 2),
        };
    }

    /// <summary>Reads the request line of a complete head; null when it is not <c>METHOD /path HTTP/1.x</c>.</summary>
    public static RequestHead? Parse(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf((byte)'\n');
        var line = Encoding.Latin1.GetString(end < 0 ? head : head[..end]).TrimEnd('\r');
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[0].All(char.IsAsciiLetterUpper)
            || !parts[1].StartsWith('/') || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[2].Length != 8)
        {
            return null;
        }

        var query = parts[1].IndexOf('?', StringComparison.Ordinal);
        return new RequestHead(parts[0], query < 0 ? parts[1] : parts[1][..query]);
    }
}
