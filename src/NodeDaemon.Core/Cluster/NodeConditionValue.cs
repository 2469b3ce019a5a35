namespace NodeDaemon.Core.Cluster;

/// <summary>One Node status condition (core/v1 <c>NodeCondition</c>) as the daemon writes or reads it.</summary>
/// <param name="Type">The condition type, e.g. <c>OSUpdateProgressing</c>.</param>
/// <param name="Status"><c>True</c>, <c>False</c> or <c>Unknown</c>, as the API spells them.</param>
/// <param name="Reason">One CamelCase word: why the condition has this status.</param>
/// <param name="Message">The same for people.</param>
/// <param name="LastTransitionTime">When the status last changed; null in what the daemon wants, set on what it read or writes.</param>
public sealed record NodeConditionValue(string Type, string Status, string Reason, string Message, DateTimeOffset? LastTransitionTime = null)
{
    /// <summary>The condition without its transition time: what two conditions must share to say the same.</summary>
    public NodeConditionValue Content => this with { LastTransitionTime = null };
}
