using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The rules of the rejected image: never staged again while desired, marked on the node, forgotten when another
/// digest is desired or an admin removes the mark.</summary>
/// <remarks>Two memories, so that either survives the loss of the other: the notes (<see cref="AgentRecord.Rejected"/>) and the
/// node's <c>rejected-image</c> annotation. A mark on the node that names the desired digest is honoured with no notes (a wiped
/// state directory, a reinstall); the notes' mark, once seen on the node, ends when the annotation is removed.</remarks>
internal static class RejectionRules
{
    /// <summary>A note-only step about the rejection (forget it, or note the mark seen), or null.</summary>
    /// <param name="inputs">The decision's inputs.</param>
    /// <param name="target">The desired image; null when none is desired (or it is invalid): the rejection is then kept.</param>
    internal static Decision? Decide(AgentInputs inputs, DesiredTarget? target)
    {
        if (inputs.Record.Rejected is not { } rejected)
        {
            return null;
        }

        if (target is not null && !Concerns(rejected, target))
        {
            return new(AgentState.Staging, new AgentAction.ForgetRejection(),
                $"desired image changed from the rejected {rejected.Reference} to {target.Image}; forgetting the rejection");
        }

        var shown = inputs.Node.RejectedImage;
        if (rejected.Marked && shown is null)
        {
            return new(AgentState.Staging, new AgentAction.ForgetRejection(), $"the rejected-image mark of {rejected.Reference} was removed; it may be tried again");
        }

        if (rejected.Marked || shown != rejected.Reference)
        {
            return null;
        }

        // Still Degraded, for the same reason: only the notes change (the step reports nothing).
        var notes = target is null ? inputs.Record : inputs.Record.About(target.Key);
        var reason = notes.Failure?.Reason ?? $"{rejected.Reference} was rejected";
        return new(AgentState.Degraded, new AgentAction.NoteRejectionMarked(), $"{rejected.Reference} is marked rejected on the node", reason);
    }

    /// <summary>The rejected reference when <paramref name="target"/> is rejected (by the notes, or by the node's mark alone); else null.</summary>
    internal static string? Blocking(AgentInputs inputs, DesiredTarget target)
    {
        if (inputs.Record.Rejected is { } rejected && Concerns(rejected, target))
        {
            return rejected.Reference;
        }

        var shown = inputs.Node.RejectedImage;
        return shown is not null && target.Image.Digest is { } digest && DigestOf(shown) == digest ? shown : null;
    }

    /// <summary>What the node's <c>rejected-image</c> annotation must say: the rejected reference; empty to remove a mark
    /// that no longer holds (another digest is desired and the notes hold none); null to leave it.</summary>
    internal static string? Mark(AgentInputs inputs, DesiredTarget? target)
    {
        if (inputs.Record.Rejected is { } rejected)
        {
            // Being forgotten (another digest desired): the mark goes with it.
            return target is not null && !Concerns(rejected, target) ? "" : rejected.Reference;
        }

        var shown = inputs.Node.RejectedImage;
        return shown is null || target is null || Blocking(inputs, target) is not null ? null : "";
    }

    /// <summary>Whether <paramref name="rejected"/> is about <paramref name="target"/>: its digest, or any tag (whose digest is only
    /// known once pulled: the mark then holds until cleared or another digest is pinned).</summary>
    private static bool Concerns(RejectedImage rejected, DesiredTarget target) =>
        target.Image.Digest is not { } digest || digest == rejected.Digest;

    private static Digest? DigestOf(string reference)
    {
        var at = reference.LastIndexOf('@');
        return at >= 0 && Digest.TryParse(reference[(at + 1)..], out var digest, out _) ? digest : null;
    }
}
