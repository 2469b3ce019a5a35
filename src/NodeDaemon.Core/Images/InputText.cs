using System.Globalization;
using System.Text;

namespace NodeDaemon.Core.Images;

/// <summary>Screens untrusted text before any grammar runs, and renders it safely inside error messages.</summary>
/// <remarks>
/// References arrive from node annotations that anyone with patch rights on the Node can write, and
/// end up in logs, events and a D-Bus call. So the screen rejects everything that could smuggle
/// something into those (control characters, whitespace, shell metacharacters, non-ASCII) before the
/// grammar looks at the text, and messages echo at most a short, escaped excerpt of the input.
/// </remarks>
internal static class InputText
{
    /// <summary>Longest input looked at; anything longer is refused without being scanned.</summary>
    public const int MaxLength = 4096;

    /// <summary>Characters a shell, a glob or a YAML/JSON quoting layer would treat specially.</summary>
    public const string ShellMetacharacters = ";|&$`<>(){}'\"\\*?!#~^";

    // A message quotes the whole input once and at most one part of it, so both budgets together stay
    // under the ~100 input characters a message may carry.
    private const int InputExcerptLength = 60;
    private const int PartExcerptLength = 30;

    /// <summary>Checks that <paramref name="text"/> is present, bounded and made of safe printable ASCII.</summary>
    /// <param name="text">The untrusted input.</param>
    /// <param name="subject">What the input is, for the message ("image reference", "digest", ...).</param>
    /// <param name="error">The full message when the input is refused.</param>
    /// <returns><see langword="true"/> when the grammar may run on the text.</returns>
    public static bool TryScreen(string? text, string subject, out string error)
    {
        if (text is null)
        {
            error = $"{subject} is null";
            return false;
        }

        if (text.Length == 0)
        {
            error = $"{subject} is empty";
            return false;
        }

        if (text.Length > MaxLength)
        {
            // Never scan or echo a huge value: say how long it is and stop.
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"{subject} is {text.Length} characters long; at most {MaxLength} are allowed");
            return false;
        }

        if (char.IsWhiteSpace(text[0]))
        {
            error = Invalid(subject, text, $"leading whitespace {Describe(text[0])} at index 0");
            return false;
        }

        if (char.IsWhiteSpace(text[^1]))
        {
            error = Invalid(subject, text, $"trailing whitespace {Describe(text[^1])} at index {text.Length - 1}");
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var problem = ClassifyUnsafe(text[i]);
            if (problem is not null)
            {
                error = Invalid(subject, text, $"{problem} {Describe(text[i])} at index {i}");
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Formats the standard message: the subject, a safe excerpt of the input and the problem.</summary>
    public static string Invalid(string subject, string text, string problem) =>
        $"invalid {subject} \"{Excerpt(text, InputExcerptLength)}\": {problem}";

    /// <summary>Formats a message with the invariant culture, so numbers read the same on every host.</summary>
    public static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    /// <summary>Renders one character for a message: quoted when printable ASCII, else a <c>\uXXXX</c> escape.</summary>
    public static string Describe(char c) =>
        c is > ' ' and <= '~'
            ? $"'{c}'"
            : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");

    /// <summary>Renders a part of the input for a message: escaped, and cut short with an ellipsis.</summary>
    public static string Excerpt(string text) => Excerpt(text, PartExcerptLength);

    private static string Excerpt(string text, int budget)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (builder.Length >= budget)
            {
                return builder.Append('…').ToString();
            }

            if (c is > ' ' and <= '~' and not '"' and not '\\')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return builder.ToString();
    }

    private static string? ClassifyUnsafe(char c)
    {
        if (char.IsControl(c))
        {
            return "control character";
        }

        if (c > '~')
        {
            return char.IsWhiteSpace(c) ? "whitespace" : "non-ASCII character";
        }

        if (c == ' ')
        {
            return "space";
        }

        return ShellMetacharacters.Contains(c, StringComparison.Ordinal) ? "shell metacharacter" : null;
    }
}
