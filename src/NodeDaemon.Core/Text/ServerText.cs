using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NodeDaemon.Core.Text;

/// <summary>The one place text from a server (the API server, rpm-ostreed, a registry) is made fit to show.</summary>
/// <remarks>
/// Such text reaches the journal, Events, Node annotations and the systemd STATUS line, which any local user can read
/// (<c>systemctl status</c>). A server may echo the request it refused, Authorization header included, and may send
/// control characters that forge journal fields or terminal escapes. So credentials are redacted, control and
/// bidirectional-format characters become spaces, and the text is cut to a bound, never inside a surrogate pair.
/// </remarks>
public static partial class ServerText
{
    /// <summary>The longest server text kept, in characters (Unicode scalar values).</summary>
    public const int MaxCharacters = 512;

    /// <summary>What stands in for a redacted credential.</summary>
    public const string Redacted = "[redacted]";

    /// <summary><paramref name="text"/> with credentials redacted, control characters replaced and cut to <paramref name="maxCharacters"/>.</summary>
    public static string Clean(string? text, int maxCharacters = MaxCharacters)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        // Cut a generous prefix first so the expressions below never run over megabytes.
        var bounded = text.Length > maxCharacters * 4 ? text[..(maxCharacters * 4)] : text;
        var redacted = Credential().Replace(Printable(bounded), m => m.Groups["head"].Value + Redacted);
        return Truncate(redacted.Trim(), maxCharacters);
    }

    /// <summary><paramref name="text"/> cut after <paramref name="maxCharacters"/> Unicode scalar values, with "…" when cut.</summary>
    public static string Truncate(string text, int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxCharacters)
        {
            return text;
        }

        var count = 0;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count == maxCharacters - 1)
            {
                return text[..index] + "…";
            }

            count++;
            index += rune.Utf16SequenceLength;
        }

        return text;
    }

    // Control characters (C0, DEL, C1), line and paragraph separators and format characters (bidi overrides, zero
    // widths) become one space each; a lone surrogate becomes U+FFFD so the UTF-8 on the wire stays valid.
    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }

            builder.Append(CharUnicodeInfo.GetUnicodeCategory(c) switch
            {
                UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                    or UnicodeCategory.ParagraphSeparator => ' ',
                UnicodeCategory.Surrogate => '\uFFFD',
                _ => c,
            });
        }

        return builder.ToString();
    }

    // "Bearer <token>", "Basic <token>", an Authorization header or JSON field, and token/password fields. The head
    // (the scheme or field name) stays so the reader knows what was there; the value goes.
    [GeneratedRegex(
        """(?<head>\b(?:bearer|basic)\s+)[^\s"',;]+|(?<head>\b(?:authorization|proxy-authorization|x-auth-token)["']?\s*[:=]\s*["']?)(?:(?:bearer|basic)\s+)?[^\s"',;]+|(?<head>\b(?:token|password|passwd|secret|auth)["']?\s*[:=]\s*["']?)[^\s"',;]+""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();
}
