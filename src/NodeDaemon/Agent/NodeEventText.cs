using System.Globalization;

namespace NodeDaemon.Agent;

/// <summary>The messages of the Events that carry a phase's length, since the Event of that phase's start is not recorded.</summary>
/// <remarks>Staging and Draining have no Event of their own (one request each per update): the Staged Event says how long
/// the pull took and the Rebooting Event how long the drain took, so <c>kubectl get events</c> still times both.</remarks>
internal static class NodeEventText
{
    /// <summary>The Staged Event's message: what was staged, and the pull's length in whole seconds.</summary>
    public static string Staged(string refspec, string digest, TimeSpan took) =>
        string.Create(CultureInfo.InvariantCulture, $"staged {refspec} ({digest}) in {Seconds(took)}");

    /// <summary>The drain's summary for the Rebooting Event: pods evicted, and the drain's length since its start when it is known.</summary>
    /// <remarks>An unknown length (<see cref="TimeSpan.MaxValue"/>: a start noted on another boot or in the clock's future) is left out.</remarks>
    public static string Drained(int evicted, int total, TimeSpan took) => took == TimeSpan.MaxValue
        ? string.Create(CultureInfo.InvariantCulture, $"drained: {evicted}/{total} pods evicted")
        : string.Create(CultureInfo.InvariantCulture, $"drained: {evicted}/{total} pods evicted in {Seconds(took)}");

    private static string Seconds(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(Math.Max(span.TotalSeconds, 0), MidpointRounding.AwayFromZero)} s");
}
