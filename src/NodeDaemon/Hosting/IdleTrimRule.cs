using NodeDaemon.Core.Agent;

namespace NodeDaemon.Hosting;

/// <summary>When the idle trim runs (<see cref="IdleTrim"/>): a pure function of the last turn, the last trim and the clock.</summary>
/// <remarks>Measured (docs/benchmarks.md, "Footprint: third pass"): every agent turn maps about 5 MB of the binary's text
/// and 2 MB of libraries back and grows the GC heap, and an idle loop turns at least once per idle tick (30 s) and on every
/// kubelet report. Trimming after a turn that left nothing in progress gives that back for the rest of the idle time.
/// Never during an update: a pull, drain or verification runs turns back to back and would only pay for pages it maps
/// again at once.</remarks>
public static class IdleTrimRule
{
    /// <summary>How long after a turn the daemon must have stayed idle (no turn since) before it trims.</summary>
    /// <remarks>Short against the idle tick (30 s) and the kubelet's report period (5 min), long enough that a burst of
    /// node events (an admin's edits, a turn that acted and turns again) ends first.</remarks>
    public static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(2);

    /// <summary>The shortest time between two trims, whatever wakes the turns.</summary>
    /// <remarks>Below the idle tick, so that each idle tick's turn is followed by one trim; a node object that changes
    /// every second (a flapping condition) still costs at most one trim per this interval.</remarks>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(20);

    /// <summary>Whether to trim now, or when to look again, or not until the next turn ends.</summary>
    public static IdleTrimDecision Decide(IdleTrimInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.TurnRunning || inputs.LastTurnEnded is not { } ended || inputs.TrimmedSinceTurn || !Idle(inputs.State))
        {
            return IdleTrimDecision.NotUntilNextTurn;
        }

        var due = ended + IdleFor;
        if (inputs.LastTrim is { } last && last + MinInterval > due)
        {
            due = last + MinInterval;
        }

        return inputs.Now >= due ? IdleTrimDecision.TrimNow : IdleTrimDecision.At(due);
    }

    /// <summary>States in which no update is in progress: nothing desired or done, held by an admin, or given up.</summary>
    /// <remarks>Staged and WaitingForSlot are left out on purpose: the node is mid-update and its next turn (a window
    /// opening, a slot handed over) should run on warm pages.</remarks>
    public static bool Idle(AgentState state) => state is AgentState.Idle or AgentState.Paused or AgentState.Degraded;
}

/// <summary>What <see cref="IdleTrimRule"/> looks at.</summary>
/// <param name="Now">The clock now.</param>
/// <param name="TurnRunning">A turn has started and not ended.</param>
/// <param name="State">The agent's state after the last turn.</param>
/// <param name="LastTurnEnded">When the last turn ended; null before the first.</param>
/// <param name="TrimmedSinceTurn">A trim ran after the last turn ended.</param>
/// <param name="LastTrim">When the last trim ran; null if none yet.</param>
public sealed record IdleTrimInputs(DateTimeOffset Now, bool TurnRunning, AgentState State, DateTimeOffset? LastTurnEnded, bool TrimmedSinceTurn,
    DateTimeOffset? LastTrim);

/// <summary>The idle trim's decision: trim now, look again at <see cref="Due"/>, or wait for the next turn's end.</summary>
/// <param name="Trim">Trim now.</param>
/// <param name="Due">When to look again; null with <see cref="Trim"/> or when only the next turn's end can change the answer.</param>
public sealed record IdleTrimDecision(bool Trim, DateTimeOffset? Due)
{
    /// <summary>Trim now.</summary>
    public static readonly IdleTrimDecision TrimNow = new(true, null);

    /// <summary>Nothing to do until a turn ends.</summary>
    public static readonly IdleTrimDecision NotUntilNextTurn = new(false, null);

    /// <summary>Look again at <paramref name="due"/>.</summary>
    public static IdleTrimDecision At(DateTimeOffset due) => new(false, due);
}
