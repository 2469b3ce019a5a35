namespace NodeDaemon.Core.Options;

/// <summary>Kubernetes name syntax (apimachinery <c>validation.go</c>); each check returns why a name fails, or null.</summary>
internal static class KubernetesNames
{
    /// <summary>Longest DNS-1123 subdomain (node names, annotation and label key prefixes).</summary>
    public const int MaxSubdomainLength = 253;

    /// <summary>Longest DNS-1123 label (namespaces) and label name or value.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Checks a DNS-1123 subdomain: lower-case alphanumerics, '-' and '.', alphanumeric at both ends of each part.</summary>
    public static string? CheckDnsSubdomain(string value)
    {
        if (value.Length == 0)
        {
            return "must not be empty";
        }

        if (value.Length > MaxSubdomainLength)
        {
            return $"must be at most {MaxSubdomainLength} characters, not {value.Length}";
        }

        foreach (var part in value.Split('.'))
        {
            if (!IsDnsLabelSyntax(part))
            {
                return "must be lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit";
            }
        }

        return null;
    }

    /// <summary>Checks a DNS-1123 label: at most 63 lower-case alphanumerics or '-', alphanumeric at both ends.</summary>
    public static string? CheckDnsLabel(string value)
    {
        if (value.Length == 0)
        {
            return "must not be empty";
        }

        if (value.Length > MaxLabelLength)
        {
            return $"must be at most {MaxLabelLength} characters, not {value.Length}";
        }

        return IsDnsLabelSyntax(value)
            ? null
            : "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
    }

    /// <summary>Checks a label or annotation key: an optional DNS subdomain prefix and '/', then a name.</summary>
    public static string? CheckQualifiedName(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? value : value[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = value[..slash];
            if (CheckDnsSubdomain(prefix) is { } prefixProblem)
            {
                return $"must have a DNS subdomain before the '/' that {prefixProblem}";
            }

            if (name.Contains('/', StringComparison.Ordinal))
            {
                return "must contain at most one '/'";
            }
        }

        if (name.Length == 0)
        {
            return "must have a name (after the '/', if any)";
        }

        if (name.Length > MaxLabelLength)
        {
            return $"must have a name of at most {MaxLabelLength} characters, not {name.Length}";
        }

        return IsQualifiedNameSyntax(name)
            ? null
            : "must have a name of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
    }

    /// <summary>Checks a label value: empty, or at most 63 of the characters a qualified name allows.</summary>
    public static string? CheckLabelValue(string value)
    {
        if (value.Length > MaxLabelLength)
        {
            return $"must be at most {MaxLabelLength} characters, not {value.Length}";
        }

        return value.Length == 0 || IsQualifiedNameSyntax(value)
            ? null
            : "must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
    }

    /// <summary>Checks an annotation key prefix as the protocol uses it: a DNS subdomain followed by '/'.</summary>
    public static string? CheckAnnotationPrefix(string value)
    {
        if (!value.EndsWith('/'))
        {
            return "must end with '/'";
        }

        return CheckDnsSubdomain(value[..^1]) is { } problem
            ? $"must be a DNS subdomain followed by '/'; the part before the '/' {problem}"
            : null;
    }

    private static bool IsDnsLabelSyntax(string part) =>
        part.Length > 0
        && IsLowerAlphanumeric(part[0])
        && IsLowerAlphanumeric(part[^1])
        && part.All(c => IsLowerAlphanumeric(c) || c == '-');

    private static bool IsQualifiedNameSyntax(string name) =>
        name.Length > 0
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
