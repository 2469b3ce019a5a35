using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NodeDaemon.Tests.Logging;

namespace NodeDaemon.Tests.Metrics;

/// <summary>Parses exposition text with the Prometheus project's own Python parser (Debian's python3-prometheus-client).</summary>
internal static class ReferenceParser
{
    /// <summary>One parsed sample.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>One parsed family; counters are named without <c>_total</c>, as the parser names them.</summary>
    public sealed record Family(string Name, string Type, string Help, IReadOnlyList<Sample> Samples);

    // Debian's interpreter, not whatever python3 is first on PATH: the package installs into its dist-packages.
    private const string Python = "/usr/bin/python3";

    // Values travel as repr() strings: JSON has no spelling for inf and nan.
    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = []
        for f in text_string_to_metric_families(sys.stdin.read()):
            families.append({"name": f.name, "type": f.type, "help": f.documentation,
                             "samples": [{"name": s.name, "labels": s.labels, "value": repr(float(s.value))} for s in f.samples]})
        json.dump(families, sys.stdout)
        """;

    /// <summary>The families in <paramref name="text"/>; fails the test, naming the package, when the parser is missing.</summary>
    public static async Task<IReadOnlyList<Family>> ParseAsync(string text)
    {
        if (!File.Exists(Python))
        {
            throw new Xunit.Sdk.XunitException($"{Python} is missing: install the Debian packages python3 and python3-prometheus-client.");
        }

        var result = await ProcessRunner.RunAsync(Python, ["-c", Script], Encoding.UTF8.GetBytes(text), TimeSpan.FromSeconds(60));
        if (result.Stderr.Contains("No module named 'prometheus_client'", StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException(
                "the Prometheus text parser is not installed: apt-get install -y python3-prometheus-client ('./build.sh test' does it for you)");
        }

        Assert.True(result.ExitCode == 0, $"the reference parser refused the text ({result.ExitCode}):\n{result.Stderr}\n--- text ---\n{text}");
        return [.. JsonNode.Parse(result.Stdout)!.AsArray().Select(f => new Family(
            (string)f!["name"]!, (string)f["type"]!, (string)f["help"]!,
            [.. f["samples"]!.AsArray().Select(s => new Sample(
                (string)s!["name"]!,
                s["labels"]!.AsObject().ToDictionary(l => l.Key, l => (string)l.Value!, StringComparer.Ordinal),
                Number((string)s["value"]!)))]))];
    }

    private static double Number(string repr) => repr switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" => double.NaN,
        _ => double.Parse(repr, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
