using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>Reads the simulator's state document the way a restarted simulator or the boot verb would.</summary>
internal static class StateFile
{
    public static JsonObject Read(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    public static JsonObject? Staged(string path) =>
        Read(path)["deployments"]!.AsArray().OfType<JsonObject>().FirstOrDefault(d => (bool?)d["staged"] == true);

    public static JsonObject Sim(string path) => (JsonObject)Read(path)["nodedaemon-sim"]!;
}
