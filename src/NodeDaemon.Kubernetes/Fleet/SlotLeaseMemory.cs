using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The Leases naming our node as last read or written, in a small file that outlives the process (a reboot mid-update).</summary>
/// <remarks>
/// Only a shortcut: every write built on a remembered Lease is conditional on its resourceVersion, so a memory that is
/// out of date (an admin deleted the Lease, a takeover) costs a 409 or 404 and a list, never a slot we do not hold. That
/// is why a file that cannot be read is dropped with a warning instead of stopping anything.
/// </remarks>
internal sealed partial class SlotLeaseMemory(string path, ILogger logger)
{
    private string _saved = "";

    /// <summary>The remembered pool and Leases; none when there is no file (or it cannot be read).</summary>
    public (string Pool, List<JsonObject> Leases) Load()
    {
        try
        {
            var text = File.ReadAllText(path);
            var document = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not a JSON object");
            var pool = document["pool"]?.GetValue<string>() ?? throw new JsonException("no pool");
            var leases = (document["leases"] as JsonArray ?? throw new JsonException("no leases")).OfType<JsonObject>().Select(l => l.DeepClone().AsObject()).ToList();
            _saved = text;
            return (pool, leases);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ("", []);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(path, e.Message);
            return ("", []);
        }
    }

    /// <summary>Remembers <paramref name="leases"/> of <paramref name="pool"/> (none: the file goes); a write only when they changed.</summary>
    public void Save(string pool, IReadOnlyCollection<JsonObject> leases)
    {
        var text = leases.Count == 0
            ? ""
            : new JsonObject { ["pool"] = pool, ["leases"] = new JsonArray([.. leases.Select(l => (JsonNode)l.DeepClone())]) }.ToJsonString();
        if (text == _saved)
        {
            return;
        }

        try
        {
            if (text.Length == 0)
            {
                File.Delete(path);
            }
            else
            {
                // Temp file and rename: a crash leaves the old memory or the new one, never half of one.
                var temporary = path + ".tmp";
                File.WriteAllText(temporary, text);
                File.Move(temporary, path, overwrite: true);
            }

            _saved = text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the memory the next start lists the Leases, as it would without this file.
            LogUnwritable(path, e.Message);
        }
    }

    [LoggerMessage((int)Core.Diagnostics.LogEventId.SlotMemoryUnreadable, LogLevel.Warning,
        "Slot memory {MemoryPath} is unreadable ({Problem}); the Leases will be listed instead")]
    private partial void LogUnreadable(string memoryPath, string problem);

    [LoggerMessage((int)Core.Diagnostics.LogEventId.SlotMemoryUnwritable, LogLevel.Warning,
        "Slot memory {MemoryPath} cannot be written ({Problem}); the next start lists the Leases instead")]
    private partial void LogUnwritable(string memoryPath, string problem);
}
