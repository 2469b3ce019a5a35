using System.Text;

namespace NodeDaemon.Logging;

/// <summary>Turns Serilog property names into journal field names (<c>DesiredDigest</c> → <c>NODEDAEMON_DESIRED_DIGEST</c>).</summary>
internal static class JournalFieldName
{
    /// <summary>journald ignores longer field names.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether journald accepts <paramref name="name"/> from a client: [A-Z0-9_], not starting with <c>_</c> or a digit, at most 64 chars.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && char.IsAsciiLetterUpper(name[0])
        && name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>The field for a property: prefix plus the name in upper snake case, anything else made valid.</summary>
    public static string FromProperty(string prefix, string propertyName)
    {
        var sb = new StringBuilder(prefix.Length + propertyName.Length + 8).Append(prefix);
        int start = sb.Length;
        for (int i = 0; i < propertyName.Length; i++)
        {
            char c = propertyName[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                // Every run of other characters (dots, dashes, non-ASCII letters) becomes one '_'.
                AppendSeparator(sb, start);
                continue;
            }
            if (char.IsAsciiLetterUpper(c) && StartsWord(propertyName, i))
            {
                AppendSeparator(sb, start);
            }
            sb.Append(char.ToUpperInvariant(c));
        }
        TrimSeparators(sb, start);
        if (sb.Length == start)
        {
            sb.Append("PROPERTY");
        }
        if (char.IsAsciiDigit(sb[0]))
        {
            // Only reachable with an empty prefix and a positional property such as {0}.
            sb.Insert(0, "FIELD_");
        }
        if (sb.Length > MaxLength)
        {
            sb.Length = MaxLength;
            TrimSeparators(sb, 1);
        }
        return sb.ToString();
    }

    // A capital starts a word after a lower-case letter or digit ("desiredDigest"), and as the last
    // capital of an acronym followed by lower case ("HTTPStatus" → HTTP_STATUS).
    private static bool StartsWord(string name, int i)
    {
        if (i == 0)
        {
            return false;
        }
        char previous = name[i - 1];
        return char.IsAsciiLetterLower(previous)
            || char.IsAsciiDigit(previous)
            || (char.IsAsciiLetterUpper(previous) && i + 1 < name.Length && char.IsAsciiLetterLower(name[i + 1]));
    }

    private static void AppendSeparator(StringBuilder sb, int start)
    {
        if (sb.Length > start && sb[^1] != '_')
        {
            sb.Append('_');
        }
    }

    private static void TrimSeparators(StringBuilder sb, int start)
    {
        while (sb.Length > start && sb[^1] == '_')
        {
            sb.Length--;
        }
    }
}
