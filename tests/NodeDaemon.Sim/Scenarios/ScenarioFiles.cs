using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Where a scenario's host state comes from, and what a host state says about its deployments.</summary>
public static class ScenarioFiles
{
    private static readonly string s_fixtures = Path.Combine("tests", "fixtures", "rpm-ostree-status");

    /// <summary>The host state: the inline document, or a file named relative to the scenario or in the repository's tests/fixtures.</summary>
    public static JsonObject HostState(JsonNode? host, string scenarioDirectory)
    {
        switch (host)
        {
            case JsonObject inline:
                return (JsonObject)inline.DeepClone();
            case JsonValue value when value.TryGetValue<string>(out var name):
                var path = Candidates(name, scenarioDirectory).FirstOrDefault(File.Exists)
                    ?? throw new ScenarioException($"host \"{name}\": no such file next to the scenario or in {s_fixtures} of the repository holding it");
                return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ScenarioException($"{path}: not a JSON object");
            default:
                throw new ScenarioException("host: give an rpm-ostree status --json document or a fixture file name");
        }
    }

    /// <summary>The simulated host's platform; the simulator (sim_operations.ARCHITECTURE) pulls this instance of an index.</summary>
    public const string Platform = "amd64";

    /// <summary>The digest the host records for <paramref name="pullspec"/> resolved to <paramref name="digest"/>: the
    /// <see cref="Platform"/> manifest when the registry maps that digest to a multi-arch index, else the digest itself.</summary>
    public static string? PlatformDigest(IReadOnlyDictionary<string, JsonObject> registry, string pullspec, string? digest)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(pullspec);
        if (digest is null)
        {
            return null;
        }

        var name = pullspec.Split('@')[0];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        name = colon > slash ? name[..colon] : name;
        var entry = registry.GetValueOrDefault(pullspec)?["index"] is not null ? registry[pullspec] : registry.GetValueOrDefault($"{name}@{digest}");
        return (string?)entry?["index"]?[Platform] ?? digest;
    }

    /// <summary>The booted deployment's image, digest and commit.</summary>
    public static DeploymentImage? Booted(JsonObject state) => Find(state, d => (bool?)d["booted"] == true);

    /// <summary>The staged deployment's image and digest.</summary>
    public static DeploymentImage? Staged(JsonObject state) => Find(state, d => (bool?)d["staged"] == true);

    private static DeploymentImage? Find(JsonObject state, Func<JsonObject, bool> which)
    {
        var deployment = (state["deployments"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(which);
        return deployment is null ? null
            : new DeploymentImage((string?)deployment["container-image-reference"], (string?)deployment["container-image-reference-digest"],
                (string?)deployment["checksum"]);
    }

    private static IEnumerable<string> Candidates(string name, string scenarioDirectory)
    {
        yield return Path.Combine(scenarioDirectory, name);
        // The captures live in the repository (tests/fixtures): its root is the nearest folder up holding NodeDaemon.sln,
        // so nothing outside the repository is ever read.
        foreach (var start in new[] { scenarioDirectory, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NodeDaemon.sln")))
                {
                    yield return Path.Combine(dir.FullName, s_fixtures, name);
                    break;
                }
            }
        }
    }
}

/// <summary>A deployment's container image reference and the digest it resolved to.</summary>
/// <param name="Image">The <c>container-image-reference</c>.</param>
/// <param name="Digest">The <c>container-image-reference-digest</c>.</param>
/// <param name="Checksum">The ostree commit (<c>checksum</c>): what tells a deployment without an image (an ostree commit) apart.</param>
public sealed record DeploymentImage(string? Image, string? Digest, string? Checksum = null);
