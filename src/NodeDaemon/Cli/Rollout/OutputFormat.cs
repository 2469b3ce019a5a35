using System.CommandLine;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The <c>-o json|yaml</c> option of the rollout verbs that print a document.</summary>
internal static class OutputFormat
{
    /// <summary>A new <c>-o</c>/<c>--output</c> option, text when absent.</summary>
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--output", "-o") { Description = "Print a document instead of text: json or yaml" };
        option.AcceptOnlyFromAmong("json", "yaml");
        return option;
    }

    /// <summary><paramref name="json"/> in the chosen format.</summary>
    public static string Format(string? format, string json) => format == "yaml" ? YamlText.From(json) : json;
}
