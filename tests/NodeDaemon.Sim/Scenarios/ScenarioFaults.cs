using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Faults;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Turns a scenario's active faults into the two worlds' fault settings: the simulated host's faults file and
/// the API server's <see cref="FaultSettings"/>.</summary>
/// <remarks>A host fault's kind is the faults-file key (<c>pull-fail</c>, <c>pull-hang</c>, <c>busy</c>, <c>die</c>,
/// <c>finalization-lost</c>, <c>digest-moved</c>, <c>finalize-compares</c>, <c>inhibitor</c>, <c>die-in-finalize</c>,
/// <c>reboot-refused</c>, <c>sysroot-locked</c>, <c>lifecycle</c>, <c>another-stager</c>, <c>host-fallback</c>,
/// <c>unit-failed</c>) and its other fields are that key's value (<c>value</c> for a plain one); kind <c>api</c> carries
/// <see cref="FaultSettings"/> fields, and several of them add up (their error rules are concatenated). Kinds
/// <c>kubeconfig</c> and <c>clock</c> belong to the runner: while on, the daemon's kubeconfig file holds the fault's
/// <c>content</c> instead of the API server's, and the daemon's wall clock is off by <c>offsetSeconds</c>
/// (<see cref="ScenarioClock"/>). The boot faults (<c>kubelet-never-ready</c>, <c>kubelet-ready-after</c>,
/// <c>critical-pod-crashloop</c>, <c>api-unreachable-after-boot</c>; fields <c>image</c>, <c>seconds</c>, <c>selector</c>)
/// go to the API server's <see cref="FaultSettings.BootFaults"/>, consulted at each boot.</remarks>
public static class ScenarioFaults
{
    private static readonly JsonSerializerOptions s_api = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Host fault kinds that are a flag (<c>true</c>) when they have no fields.</summary>
    private static readonly HashSet<string> s_hostKinds =
        ["pull-fail", "pull-hang", "busy", "die", "finalization-lost", "digest-moved", "finalize-compares", "inhibitor",
            "die-in-finalize", "reboot-refused", "sysroot-locked", "lifecycle", "another-stager", "host-fallback", "unit-failed"];

    /// <summary>Throws <see cref="ScenarioException"/> when a fault cannot be applied.</summary>
    public static void Check(ScenarioFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Kind == "api")
        {
            _ = Api([fault]);
        }
        else if (IsBoot(fault))
        {
            // The image's placeholders ({single}, …) are known only once the registry runs: check the rest with a stand-in.
            var boot = Boot(fault);
            var image = boot.Image.Contains('{', StringComparison.Ordinal) ? "sha256:" + new string('0', 64) : boot.Image;
            if ((boot with { Image = image }).Problem() is { } problem)
            {
                throw new ScenarioException($"{fault.Kind} fault: {problem}");
            }
        }
        else if (fault.Kind == ScenarioRealRegistry.DownFault)
        {
            if (fault.Fields is { Count: > 0 })
            {
                throw new ScenarioException($"{ScenarioRealRegistry.DownFault} fault: it has no fields (use when/until)");
            }
        }
        else if (fault.Kind == "clock")
        {
            ScenarioClock.Check(fault);
        }
        else if (fault.Kind == "kubeconfig")
        {
            if (fault.Fields is not { Count: 1 } fields || fields["content"]?.GetValueKind() != JsonValueKind.String)
            {
                throw new ScenarioException("kubeconfig fault: give the file's \"content\" (a string), and nothing else");
            }
        }
        else if (!s_hostKinds.Contains(fault.Kind))
        {
            throw new ScenarioException($"unknown fault kind \"{fault.Kind}\"; known: api, kubeconfig, clock, {ScenarioRealRegistry.DownFault}, {string.Join(", ", s_hostKinds)}, {string.Join(", ", BootFault.Kinds)}");
        }
    }

    /// <summary>Whether the fault belongs to the API server.</summary>
    public static bool IsApi(ScenarioFault fault) => fault?.Kind == "api";

    /// <summary>Whether the fault is a boot fault of the API server's kubelet model (<see cref="BootFault"/>): keyed by the
    /// booted image, consulted at each boot.</summary>
    public static bool IsBoot(ScenarioFault fault) => fault is not null && BootFault.Kinds.Contains(fault.Kind);

    /// <summary>The kubeconfig the daemon is to find while these faults are on, or null for the API server's own.</summary>
    public static string? Kubeconfig(IEnumerable<ScenarioFault> active) =>
        active.LastOrDefault(f => f.Kind == "kubeconfig") is { } fault ? (string?)fault.Fields!["content"] : null;

    /// <summary>The host's faults file for the active host faults.</summary>
    public static string HostFile(IEnumerable<ScenarioFault> active)
    {
        var file = new JsonObject();
        foreach (var fault in active.Where(f => !IsApi(f) && !IsBoot(f) && f.Kind is not "kubeconfig" and not "clock" && f.Kind != ScenarioRealRegistry.DownFault))
        {
            var fields = fault.Fields?.DeepClone() as JsonObject;
            file[fault.Kind] = fields switch
            {
                null or { Count: 0 } => true,
                _ when fields.TryGetPropertyValue("value", out var value) && fields.Count == 1 => value?.DeepClone(),
                _ => fields,
            };
        }

        return file.ToJsonString();
    }

    /// <summary>A boot fault's settings: its fields (<c>image</c>, <c>seconds</c>, <c>selector</c>) and its kind.</summary>
    public static BootFault Boot(ScenarioFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        try
        {
            var fields = fault.Fields?.DeepClone() as JsonObject ?? [];
            fields["kind"] = fault.Kind;
            return fields.Deserialize<BootFault>(s_api) ?? new BootFault();
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{fault.Kind} fault: {e.Message}");
        }
    }

    /// <summary>The API server's settings for the active API faults and boot faults.</summary>
    public static FaultSettings Api(IEnumerable<ScenarioFault> active)
    {
        var merged = new JsonObject();
        var errors = new JsonArray();
        foreach (var fault in active.Where(IsApi))
        {
            foreach (var (key, value) in fault.Fields ?? [])
            {
                if (key == "errors" && value is JsonArray list)
                {
                    foreach (var rule in list)
                    {
                        errors.Add(rule?.DeepClone());
                    }
                }
                else
                {
                    merged[key] = value?.DeepClone();
                }
            }
        }

        merged["errors"] = errors;
        try
        {
            return (merged.Deserialize<FaultSettings>(s_api) ?? new FaultSettings()) with { BootFaults = [.. active.Where(IsBoot).Select(Boot)] };
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"api fault: {e.Message}");
        }
    }
}
