using System.Globalization;
using System.Text.Json;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>The <c>clock</c> fault: the daemon's wall clock stepped by <c>offsetSeconds</c> while the fault is on, as an
/// NTP step or an admin's <c>date -s</c> does, through Debian's libfaketime (package <c>faketime</c>).</summary>
/// <remarks>
/// A daemon of a scenario with a clock fault runs with <c>LD_PRELOAD</c> of libfaketime from its first start, reading
/// its offset from a file (<c>FAKETIME_TIMESTAMP_FILE</c>, a relative offset such as <c>-3600</c>; re-read at most once a
/// second, <c>FAKETIME_CACHE_DURATION=1</c>), so a step lands mid-run without a restart. Only the wall clock moves:
/// <c>DONT_FAKE_MONOTONIC=1</c> (libfaketime 0.9.10; <c>FAKETIME_DONT_FAKE_MONOTONIC</c> in later versions) leaves
/// CLOCK_MONOTONIC alone, as a real step of CLOCK_REALTIME does. Measured: the Native AOT binary takes its wall time
/// through libc's <c>clock_gettime(CLOCK_REALTIME)</c>, which libfaketime intercepts (docs/simulator.md).
/// </remarks>
public static class ScenarioClock
{
    /// <summary>Where Debian's libfaketime lives.</summary>
    public const string Library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

    /// <summary>Throws <see cref="ScenarioException"/> unless the fault is <c>{"offsetSeconds": N}</c>.</summary>
    public static void Check(ScenarioFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Fields is not { Count: 1 } fields || !fields.TryGetPropertyValue("offsetSeconds", out var offset)
            || offset?.GetValueKind() != JsonValueKind.Number)
        {
            throw new ScenarioException("clock fault: give \"offsetSeconds\" (a number; negative steps the clock back), and nothing else");
        }
    }

    /// <summary>The daemon's environment for a scenario that steps its clock; fails clearly without libfaketime.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string offsetFile)
    {
        if (!File.Exists(Library))
        {
            throw new ScenarioException($"the clock fault needs libfaketime at {Library}: install Debian's faketime package (./build.sh test does)");
        }

        return new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = Library,
            ["FAKETIME_TIMESTAMP_FILE"] = offsetFile,
            ["FAKETIME_CACHE_DURATION"] = "1",
            ["DONT_FAKE_MONOTONIC"] = "1",
            ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
        };
    }

    /// <summary>The offset file's text for the active faults: the last clock fault's offset, else none.</summary>
    public static string OffsetFile(IEnumerable<ScenarioFault> active)
    {
        // Read through the JSON text: a number parsed from a file and one built in code convert differently.
        var seconds = active.LastOrDefault(f => f.Kind == "clock") is { } fault
            ? double.Parse(fault.Fields!["offsetSeconds"]!.ToJsonString(), CultureInfo.InvariantCulture)
            : 0;
        return (seconds < 0 ? "-" : "+") + Math.Abs(seconds).ToString("0", CultureInfo.InvariantCulture) + "\n";
    }
}
