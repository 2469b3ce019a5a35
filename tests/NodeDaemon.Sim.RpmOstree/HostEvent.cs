using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Harness;

/// <summary>One lifecycle line of the rpm-ostreed simulator (transaction started or finished, reboot requested), timed on arrival.</summary>
/// <param name="Timestamp">When the line was read, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</param>
/// <param name="Event"><c>transaction-started</c>, <c>transaction-finished</c>, <c>reboot-requested</c>, or <c>stopped</c>
/// (written by the harness when it restarts the process).</param>
/// <param name="Fields">The whole line (method, title, success, message, by).</param>
public sealed record HostEvent(long Timestamp, string Event, JsonObject Fields)
{
    /// <summary>The transaction's D-Bus method (Rebase, FinalizeDeployment…), when the event has one.</summary>
    public string? Method => (string?)Fields["method"];
}
