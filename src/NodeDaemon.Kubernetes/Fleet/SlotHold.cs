using System.Globalization;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>One finished hold of a slot: which node held it for which digest, from when to when (the rollout ETA's samples).</summary>
/// <remarks>
/// Kept on the slot Lease because nothing else in the API keeps it: a hand-over rewrites <c>spec.acquireTime</c> for the
/// next holder, and a Node's metadata has no time of its own. One line per hold, newest first, at most <see cref="Kept"/>:
/// <c>node sha256:... 2026-12-05T10:00:00.000000Z 2026-12-05T10:03:12.000000Z</c> (names and digests have no spaces).
/// </remarks>
/// <param name="Node">The node that held the slot.</param>
/// <param name="Digest">The digest it worked on (the Lease's digest annotation while it held it).</param>
/// <param name="Acquired">When it got the slot (<c>spec.acquireTime</c>).</param>
/// <param name="Released">When it released the slot or handed it over.</param>
public sealed record SlotHold(string Node, string Digest, DateTimeOffset Acquired, DateTimeOffset Released)
{
    /// <summary>How many holds a Lease keeps: enough for an estimate, small enough for an annotation.</summary>
    public const int Kept = 5;

    /// <summary>How long the node held the slot.</summary>
    public TimeSpan Duration => Released - Acquired;

    /// <summary>The annotation's value with <paramref name="hold"/> first and the oldest beyond <see cref="Kept"/> dropped.</summary>
    public static string Prepend(string? annotation, SlotHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return string.Join('\n', new[] { hold }.Concat(Parse(annotation)).Take(Kept).Select(h => h.ToString()));
    }

    /// <summary>The holds an annotation lists; lines that do not read are skipped (an admin's edit breaks nothing).</summary>
    public static IReadOnlyList<SlotHold> Parse(string? annotation)
    {
        var holds = new List<SlotHold>();
        foreach (var line in (annotation ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 4 && Time(parts[2]) is { } acquired && Time(parts[3]) is { } released && released >= acquired)
            {
                holds.Add(new SlotHold(parts[0], parts[1], acquired, released));
            }
        }

        return holds;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Node} {Digest} {SlotLeaseBodies.MicroTime(Acquired)} {SlotLeaseBodies.MicroTime(Released)}";

    private static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
