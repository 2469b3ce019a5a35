namespace NodeDaemon.Core.Agent;

/// <summary>A decision asked for a transition the update flow does not allow.</summary>
public sealed class IllegalTransitionException : InvalidOperationException
{
    /// <summary>Creates the error for the transition <paramref name="from"/> → <paramref name="to"/>.</summary>
    public IllegalTransitionException(AgentState from, AgentState to)
        : base($"illegal transition {from} -> {to}")
    {
        From = from;
        To = to;
    }

    /// <summary>The state the agent was in.</summary>
    public AgentState From { get; }

    /// <summary>The state the decision asked for.</summary>
    public AgentState To { get; }
}
