namespace NodeDaemon.Core.Agent;

/// <summary>Our stage replaced or removed by another client of rpm-ostreed: said, not silently redone.</summary>
internal static class StageReplacement
{
    /// <summary>Why the stage is made again, when the host no longer holds the one we made for this target; else "".</summary>
    /// <remarks>ostree keeps one staged deployment, and any client of rpm-ostreed (Zincati's <c>deploy
    /// --lock-finalization</c>, an admin's <c>rpm-ostree upgrade</c>, <c>AutomaticUpdatePolicy=stage</c>) replaces it
    /// with its own, locked or not. It is never finalized (the finalize names our digest); staging ours again is the
    /// recovery, and the message says who undid what, so an admin can stop the other stager.</remarks>
    internal static string Why(AgentInputs inputs, AgentRecord record)
    {
        // After a reboot of ours the stage is gone by design (booted, or dropped at shutdown): that is the reboot's outcome.
        var rebootedSince = record.Reboot is { } reboot && reboot.FromBootId != inputs.Host.BootId;
        if (record.LockedStage is not { } ours || inputs.Host.Staged?.ImageDigest == ours || rebootedSince)
        {
            return "";
        }

        return inputs.Host.Staged is { } other
            ? $"; our staged {Decider.Short(ours)} was replaced by {Staged(other)}, staged by another client of rpm-ostreed"
            : $"; our staged {Decider.Short(ours)} is gone, removed by another client of rpm-ostreed";
    }

    /// <summary>The other stage as rpm-ostree shows it: the reference as given, and what it resolved to.</summary>
    private static string Staged(Host.HostDeployment other) =>
        other.ImageDigest is { } digest ? $"{other.ContainerImageReference} ({digest})" : $"ostree commit {other.Checksum}";
}
