namespace NodeDaemon.Sim.Fleet;

/// <summary>How far one image got in a pool, read from what each simulated host booted (not from what the daemons reported).</summary>
/// <param name="Booted">Nodes that booted the image at least once.</param>
/// <param name="RolledBack">Nodes that booted it and later booted another image again.</param>
/// <param name="Still">Nodes booted on it at the end.</param>
public sealed record BlastRadius(int Booted, int RolledBack, int Still)
{
    /// <summary>The blast radius of <paramref name="digest"/> over <paramref name="agents"/>' boot histories.</summary>
    public static BlastRadius Of(IEnumerable<FleetAgent> agents, string digest)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var histories = agents.Select(a => a.BootedDigests).ToList();
        return Of(histories, digest);
    }

    /// <summary>The blast radius of <paramref name="digest"/> over boot histories (each node's digests, boot by boot).</summary>
    public static BlastRadius Of(IReadOnlyList<IReadOnlyList<string>> histories, string digest)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var booted = histories.Where(h => h.Contains(digest)).ToList();
        var rolledBack = booted.Count(h => h.Skip(h.ToList().IndexOf(digest)).Any(d => d != digest));
        return new BlastRadius(booted.Count, rolledBack, histories.Count(h => h.Count > 0 && h[^1] == digest));
    }
}
