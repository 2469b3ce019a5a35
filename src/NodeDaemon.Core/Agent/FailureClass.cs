namespace NodeDaemon.Core.Agent;

/// <summary>Which step of an update failed, for the failure counters (see <see cref="AgentOutcome.Counts"/>).</summary>
public enum FailureClass
{
    /// <summary>A stage attempt (pull and deploy) failed.</summary>
    Stage,

    /// <summary>The finalization call was refused.</summary>
    Finalize,

    /// <summary>A drain timed out, was refused or stopped.</summary>
    Drain,

    /// <summary>The host came back from our reboots without the desired image.</summary>
    Verify,
}
