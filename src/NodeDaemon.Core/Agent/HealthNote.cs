using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The health gate's last answer on one boot of one image: when the gate began to wait there, when it last looked, what it said.</summary>
/// <remarks>Noted so that a restart resumes the same gate: the timeout keeps counting from <paramref name="Started"/>, and a
/// Failed answer leads to one rollback however often the process dies after it.</remarks>
/// <param name="Image">The digest the gate judged (the target, or the previous image after a rollback).</param>
/// <param name="Started">When the gate began to wait on this boot; its boot id ties the note to the boot.</param>
/// <param name="CheckedAt">When the gate was last asked.</param>
/// <param name="Verdict">What it answered then.</param>
/// <param name="SawReady">The node's Ready condition as the loop saw it when it asked: a different one asks again at once.</param>
public sealed record HealthNote(Digest Image, Moment Started, DateTimeOffset CheckedAt, HealthVerdict Verdict, NodeReadyCondition? SawReady = null)
{
    /// <summary>This note is about <paramref name="image"/> booted in <paramref name="bootId"/>: another boot is judged afresh.</summary>
    public bool IsAbout(Digest image, string bootId) => Image == image && Started.BootId == bootId;
}
