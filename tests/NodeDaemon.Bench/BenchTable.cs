using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace NodeDaemon.Bench;

/// <summary>The headline numbers of a bench run as a Markdown table, in the rows and words of <c>docs/benchmarks.md</c>.</summary>
/// <remarks>Read from the JSON the run wrote, so a benchmark that failed or was left out shows as "–" rather than
/// stopping the table.</remarks>
internal static class BenchTable
{
    public static string Render(JsonObject results)
    {
        var d = results["daemon"];
        var drain = results["drain"];
        var rows = new List<(string What, string Result)>
        {
            ("start to READY=1, AOT / JIT, median", $"{N(d?["startToReadyMs"]?["aot"])} ms / {N(d?["startToReadyMs"]?["jit"])} ms"),
            ("idle RSS 5 s after start, AOT / JIT", $"{N(d?["idleRssMb"]?["aot"])} MB / {N(d?["idleRssMb"]?["jit"])} MB"),
            ("idle RSS after converging a node, median", $"{N(d?["idleRssMb"]?["afterConvergingAot"])} MB"),
            ("idle RSS split (smaps), AOT: anonymous / file (the binary's own, other libraries)", Split(d?["idleSmapsAot"] ?? results["footprint"])),
            ("reaction: annotated → Rebase started, median (max)", $"{N(d?["reactionMs"]?["median"])} ms ({N(d?["reactionMs"]?["max"])})"),
            ("API requests of one update, median", N(d?["apiRequestsPerUpdate"]?["median"])),
            ("drain of 60 pods: ours / kubectl drain", $"{N(drain?["oursSeconds"])} s / {N(drain?["kubectlSeconds"])} s = {N(drain?["ratio"])}, violations {N(drain?["oursViolations"])} / {N(drain?["kubectlViolations"])}"),
            ("host status read over D-Bus, median (p90)", $"{N(results["hostStatusRead"]?["medianMs"])} ms ({N(results["hostStatusRead"]?["p90Ms"])})"),
            ("node watch reaction, median (p90)", $"{N(results["watchReaction"]?["medianMs"])} ms ({N(results["watchReaction"]?["p90Ms"])})"),
            ("binary size", $"{N(d?["binaryMb"])} MB"),
        };
        foreach (var (key, node) in (results["fleet"] as JsonObject ?? []).Concat(results["fleet2000"] as JsonObject ?? []))
        {
            rows.Add(($"fleet {node?["nodes"]} nodes, {node?["maxUnavailable"]} slots", Fleet(node)));
        }

        var text = new StringBuilder();
        text.AppendLine("| what | result |").AppendLine("|---|---|");
        foreach (var (what, result) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {what} | {result} |").AppendLine();
        }

        return text.ToString();
    }

    /// <summary>Makespan against the ideal, requests per node, Lease conflicts, whether it converged, wall time.</summary>
    private static string Fleet(JsonNode? run)
    {
        if (run?["error"] is { } error)
        {
            return $"error: {error}";
        }

        var converged = run?["converged"]?.GetValue<bool>() == true;
        var outcome = converged
            ? $"converged; makespan {N(run?["makespanSeconds"])} s / ideal {N(run?["idealMakespanSeconds"])} s = **{N(run?["makespanRatio"])}**"
            : $"**not converged**: {N(run?["doneNodes"])} of {N(run?["nodes"])} Done after {N(run?["makespanSeconds"])} s nominal (ideal {N(run?["idealMakespanSeconds"])} s)";
        var top = (run?["apiRequestsPerNodeByKind"] as JsonObject ?? []).Take(4).Select(k => $"{k.Key} {N(k.Value)}");
        return $"{outcome}; **{N(run?["apiRequestsPerNode"])}** requests per node ({string.Join(", ", top)}); "
            + $"{N(run?["leaseConflicts"])} Lease conflicts; max {N(run?["maxConcurrentCordoned"])} cordoned; wall {N(run?["wallSeconds"])} s";
    }

    /// <summary>Anonymous and file-backed resident MB, the file part split into the binary's own pages and the rest.</summary>
    private static string Split(JsonNode? s) =>
        $"{N(s?["anonymousMb"])} MB / {N(s?["fileMb"])} MB ({N(s?["binaryFileMb"])} MB binary, {N(s?["otherFileMb"])} MB other)";

    private static string N(JsonNode? value) => value is null ? "–" : value.ToJsonString().Trim('"');
}
