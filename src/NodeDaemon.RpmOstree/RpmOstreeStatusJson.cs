using System.Text.Json;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Text;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Reads an <c>rpm-ostree status --json</c> document into the <see cref="HostStatus"/> the daemon reads over D-Bus.</summary>
/// <remarks>
/// The CLI prints its <c>deployments</c> member with <c>json_gvariant_serialize</c> of the same <c>Deployments</c>
/// property (<c>aa{sv}</c>) the daemon reads (rpm-ostree src/app/rpmostree-builtin-status.cxx). So each entry is turned
/// back into its variant dictionary and mapped by <see cref="DeploymentMapper"/>, and the booted and staged ones are
/// chosen by <see cref="DeploymentChoice"/>: <c>explain</c> reads a host exactly as <c>run</c> does.
/// </remarks>
public static class RpmOstreeStatusJson
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64 };

    /// <summary>Parses <paramref name="json"/>; throws <see cref="FormatException"/> in words when it is not a status document.</summary>
    public static HostStatus Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_options);
        }
        catch (JsonException e)
        {
            throw new FormatException(
                $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1} (or nested deeper than {s_options.MaxDepth} levels)", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("deployments", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"not an rpm-ostree status document: the top level must be an object with a \"deployments\" array, got {Kind(root)}");
            }

            var warnings = new List<string>();
            var deployments = new List<HostDeployment>();
            var index = 0;
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    warnings.Add($"deployment {index} is {Kind(entry)}, not an object; skipped");
                }
                else if (DeploymentMapper.Map(ToVariants(entry), warnings) is { } deployment)
                {
                    deployments.Add(deployment);
                }

                index++;
            }

            var (booted, staged) = DeploymentChoice.Pick(deployments, warnings);
            return new HostStatus(booted ?? throw new FormatException("not a usable rpm-ostree status: no deployment is marked \"booted\""),
                staged, null, null, warnings);
        }
    }

    // Last key wins, as in GLib's GVariantDict built from a JSON object with a repeated member.
    private static Dictionary<string, VariantValue> ToVariants(JsonElement entry)
    {
        var variants = new Dictionary<string, VariantValue>(StringComparer.Ordinal);
        foreach (var property in entry.EnumerateObject())
        {
            var name = JsonText.NameOf(property);
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    variants[name] = VariantValue.String(JsonText.StringOf(value)!);
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    variants[name] = VariantValue.Bool(value.ValueKind == JsonValueKind.True);
                    break;
                case JsonValueKind.Number when value.TryGetInt64(out var integer):
                    variants[name] = VariantValue.Int64(integer);
                    break;
                case JsonValueKind.Number when value.TryGetUInt64(out var unsigned):
                    variants[name] = VariantValue.UInt64(unsigned);
                    break;
                case JsonValueKind.Number when value.TryGetDouble(out var real):
                    variants[name] = VariantValue.Double(real);
                    break;
                default:
                    // Arrays and objects (package lists, signatures): nothing the decision reads.
                    variants.Remove(name);
                    break;
            }
        }

        return variants;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object without a \"deployments\" array",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
