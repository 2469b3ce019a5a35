namespace NodeDaemon.Core.Options;

/// <summary>systemd unit name syntax (systemd <c>src/basic/unit-name.c</c>, <c>unit_name_is_valid</c>), for <c>health.units</c>.</summary>
/// <remarks>
/// Plain names (<c>foo.service</c>) and instances (<c>getty@tty1.service</c>) only: a template (<c>foo@.service</c>) is
/// never loaded itself, so it can never be failed and would pass the check forever.
/// </remarks>
internal static class SystemdUnitNames
{
    /// <summary>systemd's <c>UNIT_NAME_MAX</c> (256) counts the terminating NUL.</summary>
    public const int MaxLength = 255;

    // unit-def.c's unit type names; a name's suffix must be one of them.
    private static readonly string[] _types =
        ["service", "socket", "target", "device", "mount", "automount", "swap", "timer", "path", "slice", "scope"];

    /// <summary>Why <paramref name="name"/> is no loadable unit name, or null when it is one.</summary>
    public static string? Check(string name)
    {
        if (name.Length == 0)
        {
            return "must not be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters, not {name.Length}";
        }

        var dot = name.LastIndexOf('.');
        if (dot < 0 || !_types.Contains(name[(dot + 1)..], StringComparer.Ordinal))
        {
            return "must end in a unit type like \".service\" or \".target\"";
        }

        var stem = name[..dot];
        var at = stem.IndexOf('@', StringComparison.Ordinal);
        var prefix = at < 0 ? stem : stem[..at];
        if (prefix.Length == 0 || !prefix.All(IsValid))
        {
            return "must be letters, digits and \":-_.\\\" before the type (and an '@' before an instance)";
        }

        if (at >= 0 && stem.Length == at + 1)
        {
            return "must not be a template (\"name@.type\"): a template is never loaded itself; name an instance";
        }

        if (at >= 0 && !stem[(at + 1)..].All(c => c == '@' || IsValid(c)))
        {
            return "must have an instance of letters, digits and \":-_.\\@\"";
        }

        return null;
    }

    private static bool IsValid(char c) => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.' or '\\';
}
