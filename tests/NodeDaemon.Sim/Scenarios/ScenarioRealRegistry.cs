using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>A scenario's <c>realRegistry</c>: its images come from a real OCI registry (<see cref="OciRegistry"/>) instead
/// of the in-memory registry map. In the desired image, the options, the node's and the actions' annotations, the expected reason and annotations, <c>{registry}</c>,
/// <c>{single}</c>, <c>{index}</c> and <c>{amd64}</c> (there and in the faults' fields) stand for the registry's <c>127.0.0.1:PORT</c>, the single-arch
/// image's digest, the index's digest and the index's amd64 manifest's digest (a second image, pinned by its own digest).</summary>
public sealed record ScenarioRealRegistry
{
    /// <summary>The fault kind that stops the registry process while it is on (connections refused), and starts it again when lifted.</summary>
    public const string DownFault = "registry-down";

    /// <summary>The host's auth file holds a wrong password for the registry (the registry answers 401).</summary>
    public bool WrongCredentials { get; init; }

    /// <summary>Starts the registry a scenario asks for (or none) and returns the scenario as it runs against it: the
    /// placeholders expanded and the registry's tags and index in <see cref="Scenario.Registry"/>, where the runner reads
    /// which digest a desired image means.</summary>
    public static async Task<(OciRegistry? Registry, Scenario Scenario)> StartAsync(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.RealRegistry is null)
        {
            return (null, scenario);
        }

        var images = await OciTestImages.GetAsync().ConfigureAwait(false);
        var registry = await OciRegistry.StartWithTestImagesAsync().ConfigureAwait(false);
        var repo = $"{registry.Host}/{OciTestImages.Repository}";
        JsonObject Index() => new() { ["amd64"] = images.Platforms["amd64"], ["arm64"] = images.Platforms["arm64"] };
        var map = new Dictionary<string, JsonObject>(scenario.Registry)
        {
            [$"{repo}:{OciTestImages.SingleTag}"] = new() { ["digest"] = images.SingleDigest, ["version"] = OciTestImages.SingleVersion },
            [$"{repo}:{OciTestImages.IndexTag}"] = new() { ["digest"] = images.IndexDigest, ["index"] = Index(), ["version"] = OciTestImages.IndexVersion },
            [$"{repo}@{images.IndexDigest}"] = new() { ["index"] = Index(), ["version"] = OciTestImages.IndexVersion },
        };
        string? Expand(string? text) => text?.Replace("{registry}", registry.Host, StringComparison.Ordinal)
            .Replace("{single}", images.SingleDigest, StringComparison.Ordinal)
            .Replace("{index}", images.IndexDigest, StringComparison.Ordinal)
            .Replace("{amd64}", images.Platforms["amd64"], StringComparison.Ordinal);
        var actions = scenario.Actions.Select(a => a with { Annotate = a.Annotate.ToDictionary(p => p.Key, p => Expand(p.Value)) }).ToList();
        var node = scenario.Node with { Annotations = scenario.Node.Annotations.ToDictionary(p => p.Key, p => Expand(p.Value)!) };
        // The options too, as JSON text: allowedImages names the registry, whose port is known only now.
        var options = scenario.Options is null ? null : JsonNode.Parse(Expand(scenario.Options.ToJsonString())!)!.AsObject();
        // And the faults: those keyed by image digest (host-fallback, unit-failed) name {single} or {amd64}.
        var faults = scenario.Faults.Select(f => f with { Fields = f.Fields is null ? null : JsonNode.Parse(Expand(f.Fields.ToJsonString())!)!.AsObject() }).ToList();
        // And what is expected at the end: a rollback's reason and the rejected-image mark name the image.
        var expect = scenario.Expect with
        {
            ReasonContains = Expand(scenario.Expect.ReasonContains),
            Annotations = scenario.Expect.Annotations.ToDictionary(p => p.Key, p => Expand(p.Value)),
        };
        return (registry, scenario with
        {
            DesiredImage = Expand(scenario.DesiredImage), Node = node, Actions = actions, Registry = map, Options = options, Faults = faults, Expect = expect,
        });
    }
}
