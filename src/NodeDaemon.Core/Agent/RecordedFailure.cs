namespace NodeDaemon.Core.Agent;

/// <summary>Why the agent gave up on the target, where, and whether it keeps its cordon.</summary>
/// <param name="Reason">One line first, for the node's <c>reason</c> annotation.</param>
/// <param name="FailedIn">The state the agent was in.</param>
/// <param name="KeepCordon">Leave our cordon in place for an admin (the drain's <c>stayCordoned</c> policy).</param>
public sealed record RecordedFailure(string Reason, AgentState FailedIn, bool KeepCordon = false);
