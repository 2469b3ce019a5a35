namespace NodeDaemon.Core.Health;

/// <summary>The health gate's answer at one moment after the boot into a target: passed, still waiting, or failed.</summary>
/// <remarks>The gate's rules (timeout, API silence, grace periods) decide the verdict; the agent only acts on it, so a
/// Failed verdict is final for this boot and Waiting never leads to a rollback by itself.</remarks>
public abstract record HealthVerdict
{
    // Only the nested records below derive from this: the set is closed.
    private HealthVerdict()
    {
    }

    /// <summary>Every check passed since this boot: the node may be reported Done, uncordoned and its slot handed on.</summary>
    public sealed record Passed : HealthVerdict;

    /// <summary>Not yet decided; <paramref name="Message"/> names what is still awaited (it becomes the phase message).</summary>
    public sealed record Waiting(string Message) : HealthVerdict;

    /// <summary>The gate failed for good on this boot; <paramref name="Reason"/> says why, in words, for the Degraded reason.</summary>
    public sealed record Failed(string Reason) : HealthVerdict;
}
