using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.RpmOstree;

/// <summary>The faults a reboot honours, read from the simulator's faults file (the rest are the running simulator's).</summary>
/// <param name="FinalizationLost"><c>finalization-lost</c>: even an unlocked stage is not applied.</param>
/// <param name="FallbackDigests"><c>host-fallback</c>: image digests the host cannot come up on; a boot into one falls
/// back to the deployment after it, as GRUB does once greenboot's boot counter ran out.</param>
/// <param name="FallbackRollback">Whether greenboot's check-fallback service then makes the fallback permanent with
/// <c>rpm-ostree rollback</c> (<c>bootc rollback</c> on a bootc host), as it does by default.</param>
public sealed record BootFaults(bool FinalizationLost, IReadOnlySet<string> FallbackDigests, bool FallbackRollback)
{
    /// <summary>A healthy host.</summary>
    public static BootFaults None { get; } = new(false, new HashSet<string>(StringComparer.Ordinal), true);

    /// <summary>Reads the faults document (null: none). <c>host-fallback</c> is a digest, a list of digests, or
    /// <c>{"digest": …, "digests": […], "rollback": true}</c>.</summary>
    public static BootFaults Parse(JsonNode? faults)
    {
        if (faults is not JsonObject doc)
        {
            return None;
        }

        var lost = doc["finalization-lost"]?.GetValue<bool>() ?? false;
        var digests = new HashSet<string>(StringComparer.Ordinal);
        var rollback = true;
        switch (doc["host-fallback"])
        {
            case null:
                break;
            case JsonValue one when one.GetValueKind() == JsonValueKind.String:
                digests.Add(one.GetValue<string>());
                break;
            case JsonArray many:
                digests.UnionWith(many.Select(Digest));
                break;
            case JsonObject fields:
                if (fields["digest"] is { } digest)
                {
                    digests.Add(Digest(digest));
                }

                digests.UnionWith((fields["digests"] as JsonArray ?? []).Select(Digest));
                rollback = fields["rollback"]?.GetValue<bool>() ?? true;
                break;
            default:
                throw new InvalidDataException("host-fallback: a digest, a list of digests, or {\"digest\", \"digests\", \"rollback\"}");
        }

        return new BootFaults(lost, digests, rollback);
    }

    private static string Digest(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().StartsWith("sha256:", StringComparison.Ordinal)
            ? value.GetValue<string>()
            : throw new InvalidDataException($"host-fallback: {node?.ToJsonString() ?? "null"} is not a sha256: digest");
}
