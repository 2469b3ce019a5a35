namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Which of the node's pods a drain moves, skips, or refuses to touch: a pure function of the pods and the policies.</summary>
/// <param name="ToMove">Pods to evict (or, when already terminating, to wait for).</param>
/// <param name="Skipped">DaemonSet and mirror pods, left on the node.</param>
/// <param name="Refused">Pods the policies forbid evicting, each with why.</param>
internal sealed record DrainPlan(IReadOnlyList<DrainPod> ToMove, IReadOnlyList<DrainPod> Skipped, IReadOnlyList<(DrainPod Pod, string Why)> Refused)
{
    /// <summary>Sorts <paramref name="pods"/> by the emptyDir and unreplicated policies.</summary>
    public static DrainPlan For(IEnumerable<DrainPod> pods, bool deleteEmptyDirData, bool evictUnreplicated)
    {
        var move = new List<DrainPod>();
        var skip = new List<DrainPod>();
        var refuse = new List<(DrainPod, string)>();
        foreach (var pod in pods)
        {
            if (pod.Mirror || pod.DaemonSet)
            {
                skip.Add(pod);
            }
            else if (pod.Finished || pod.Terminating)
            {
                // Nothing runs in a finished pod and a terminating one is going anyway: no data or replica is lost.
                move.Add(pod);
            }
            else if (!pod.Controlled && !evictUnreplicated)
            {
                refuse.Add((pod, "has no controller, so nothing would recreate it (EvictUnreplicated is off)"));
            }
            else if (pod.EmptyDir && !deleteEmptyDirData)
            {
                refuse.Add((pod, "uses emptyDir, whose data the drain would delete (DeleteEmptyDirData is off)"));
            }
            else
            {
                move.Add(pod);
            }
        }

        return new DrainPlan(move, skip, refuse);
    }

    /// <summary>One line naming every refused pod and why.</summary>
    public string RefusalMessage() =>
        "drain refused before any eviction: " + string.Join("; ", Refused.Select(r => $"{r.Pod.Key} {r.Why}"));
}
