using System.Text;

namespace NodeDaemon.Kubernetes.Annotations;

/// <summary>Bounds the <c>reason</c> annotation.</summary>
internal static class ReasonText
{
    /// <summary>The longest reason, in characters (Unicode scalar values).</summary>
    public const int MaxCharacters = 2000;

    /// <summary><paramref name="text"/> cut after <see cref="MaxCharacters"/> characters, never inside a surrogate pair.</summary>
    public static string Truncate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= MaxCharacters)
        {
            return text;
        }

        // Count runes, not UTF-16 units: cutting between a high and a low surrogate leaves invalid UTF-8 on the wire.
        var count = 0;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count == MaxCharacters)
            {
                return text[..index];
            }

            count++;
            index += rune.Utf16SequenceLength;
        }

        return text;
    }
}
