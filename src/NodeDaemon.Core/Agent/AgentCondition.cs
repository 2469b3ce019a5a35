namespace NodeDaemon.Core.Agent;

/// <summary>The coarse condition written to the node's <c>state</c> annotation.</summary>
public enum AgentCondition
{
    /// <summary>On the desired image, or nothing is desired.</summary>
    Done,

    /// <summary>On the way to the desired image.</summary>
    Working,

    /// <summary>Stopped; <c>reason</c> says why.</summary>
    Degraded,
}
