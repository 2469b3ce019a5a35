using System.Text.Json.Serialization;

namespace NodeDaemon.Sim.RpmOstree;

/// <summary>Source-generated JSON for the boot summary (kebab-case like the state document).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower)]
[JsonSerializable(typeof(BootSummary))]
internal sealed partial class BootJsonContext : JsonSerializerContext;
