using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.RpmOstree;

/// <summary>The <c>boot</c> verb: performs a simulated reboot on a state file, no D-Bus involved.</summary>
internal static class BootCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var state = new Option<string>("--state") { Description = "The rpm-ostreed simulator's state file (an rpm-ostree status --json document); rewritten atomically.", Required = true };
        var faults = new Option<string?>("--faults") { Description = "Fault knobs JSON; only \"finalization-lost\" (the running simulator also records it in the state) and \"host-fallback\" matter here." };
        var command = new Command("boot", "Reboot the simulated host: an unlocked staged deployment becomes booted, a locked one is dropped, the boot id changes. Prints a one-line JSON summary.")
        {
            state, faults,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var path = parseResult.GetValue(state)!;
            var doc = JsonNode.Parse(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false)) as JsonObject
                ?? throw new InvalidDataException($"{path} is not a JSON object");
            var summary = BootTransition.Apply(doc, await FaultsAsync(parseResult.GetValue(faults), ct).ConfigureAwait(false));
            await WriteAtomicallyAsync(path, doc.ToJsonString(s_indented), ct).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(summary, BootJsonContext.Default.BootSummary));
            return 0;
        });
        return command;
    }

    private static async Task<BootFaults> FaultsAsync(string? faultsPath, CancellationToken ct) =>
        string.IsNullOrEmpty(faultsPath)
            ? BootFaults.None
            : BootFaults.Parse(JsonNode.Parse(await File.ReadAllTextAsync(faultsPath, ct).ConfigureAwait(false)));

    // The same temp+rename as the service, so a reader never sees half a document.
    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".boot-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(temp, text + "\n", ct).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
