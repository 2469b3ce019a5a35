using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>Reads the simulator with systemd's busctl, a client nobody here wrote.</summary>
internal static class Busctl
{
    public static async Task<JsonNode> GetPropertyAsync(string address, string path, string iface, string property)
    {
        var result = await Tool.RunAsync("busctl",
            [$"--address={address}", "--json=short", "get-property", SimWorld.Name, path, iface, property], TimeSpan.FromSeconds(5));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!;
    }

    public static async Task<JsonArray> DeploymentsAsync(string address) =>
        (JsonArray)(await GetPropertyAsync(address, SimWorld.SysrootPath, SimWorld.SysrootIface, "Deployments"))["data"]!;

    public static async Task<string> ActiveTransactionPathAsync(string address) =>
        (string)(await GetPropertyAsync(address, SimWorld.SysrootPath, SimWorld.SysrootIface, "ActiveTransactionPath"))["data"]!;

    /// <summary>A value inside one busctl-rendered a{sv}: <c>{"key": {"type": "s", "data": ...}}</c>.</summary>
    public static JsonNode? Value(JsonNode dict, string key) => dict[key]?["data"];
}
