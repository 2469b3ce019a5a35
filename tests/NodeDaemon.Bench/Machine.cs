using System.Text.Json.Nodes;

namespace NodeDaemon.Bench;

/// <summary>What the numbers were measured on.</summary>
internal static class Machine
{
    public static JsonObject Describe() => new()
    {
        ["cores"] = Environment.ProcessorCount,
        ["cpu"] = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim(),
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["at"] = DateTimeOffset.UtcNow.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
    };
}
