using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NodeDaemon.Core.Options;

/// <summary>One leaf setting the loader knows: its JSON path, its type and how to set it on the record.</summary>
internal sealed class OptionKey
{
    private readonly Func<NodeDaemonOptions, object?> _read;
    private readonly Func<NodeDaemonOptions, object?, NodeDaemonOptions> _apply;

    /// <summary>Creates a key; <paramref name="apply"/> receives a value already converted to <paramref name="kind"/>'s type.</summary>
    public OptionKey(
        string path,
        OptionKind kind,
        Func<NodeDaemonOptions, object?> read,
        Func<NodeDaemonOptions, object?, NodeDaemonOptions> apply,
        IReadOnlyList<OptionChoice>? choices = null)
    {
        Path = path;
        Kind = kind;
        _read = read;
        _apply = apply;
        Choices = choices ?? [];
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        Section = dot < 0 ? "" : path[..dot];
        Name = dot < 0 ? path : path[(dot + 1)..];
        EnvironmentVariable = OptionsLoader.EnvironmentPrefix + string.Join("__", path.Split('.').Select(ToUpperSnake));
    }

    /// <summary>JSON key path, e.g. <c>drain.timeoutSeconds</c>.</summary>
    public string Path { get; }

    /// <summary>The enclosing object's key, or empty at the root.</summary>
    public string Section { get; }

    /// <summary>The key within its section, e.g. <c>timeoutSeconds</c>.</summary>
    public string Name { get; }

    /// <summary>The canonical environment variable, e.g. <c>NODEDAEMON_DRAIN__TIMEOUT_SECONDS</c>.</summary>
    public string EnvironmentVariable { get; }

    /// <summary>How values convert.</summary>
    public OptionKind Kind { get; }

    /// <summary>The allowed names of a <see cref="OptionKind.Choice"/> key.</summary>
    public IReadOnlyList<OptionChoice> Choices { get; }

    /// <summary>Returns <paramref name="options"/> with this key set to <paramref name="value"/>.</summary>
    public NodeDaemonOptions Apply(NodeDaemonOptions options, object? value) => _apply(options, value);

    /// <summary>This key's value in <paramref name="options"/>, written as it would be in a configuration file.</summary>
    public string Format(NodeDaemonOptions options) => _read(options) switch
    {
        null => "null",
        string text => $"\"{JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"",
        bool flag => flag ? "true" : "false",
        int number => ValueText.Integer(number),
        TimeSpan duration => ValueText.Seconds(duration),
        IReadOnlyList<MaintenanceWindowOptions> windows => MaintenanceWindowsJson.Write(windows),
        IReadOnlyList<Images.ImageRepositoryPrefix> prefixes =>
            "[" + string.Join(", ", prefixes.Select(p => $"\"{JsonEncodedText.Encode(p.ToString(), JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"")) + "]",
        IReadOnlyList<string> items =>
            "[" + string.Join(", ", items.Select(i => $"\"{JsonEncodedText.Encode(i, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"")) + "]",
        var other => $"\"{Choices.FirstOrDefault(c => c.Value.Equals(other))?.Name ?? other.ToString()}\"",
    };

    private static string ToUpperSnake(string camel)
    {
        var builder = new StringBuilder(camel.Length + 8);
        foreach (var c in camel)
        {
            if (char.IsAsciiLetterUpper(c) && builder.Length > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }
}
