using System.Globalization;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>
/// Reads numbers from JSON nodes whatever built them: a JsonValue made from an <c>int</c> in memory refuses an explicit
/// <c>(long?)</c> cast, one parsed from text does not, so both go through the JSON text.
/// </summary>
public static class JsonNumber
{
    /// <summary>The node as a long, or null when missing or not an integer.</summary>
    public static long? Read(JsonNode? node) =>
        node is JsonValue && long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The node as an int, or null when missing or not an integer.</summary>
    public static int? ReadSmall(JsonNode? node) => Read(node) is { } value && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;
}
