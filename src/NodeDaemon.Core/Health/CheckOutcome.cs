namespace NodeDaemon.Core.Health;

/// <summary>One check's standing at one moment, in the words the gate's message and reason use.</summary>
/// <param name="State">Where the check stands.</param>
/// <param name="Awaited">What is still awaited, for the Waiting message (e.g. <c>kubelet Ready</c>); empty when passed.</param>
/// <param name="Failure">What failed, for the Failed reason (e.g. <c>kubelet not Ready</c>); empty when passed.</param>
internal sealed record CheckOutcome(CheckState State, string Awaited, string Failure)
{
    /// <summary>The check passed.</summary>
    public static CheckOutcome Pass { get; } = new(CheckState.Passed, "", "");

    /// <summary>Not passed yet: fails the gate at its timeout.</summary>
    public static CheckOutcome NotYet(string awaited, string failure) => new(CheckState.NotYet, awaited, failure);

    /// <summary>No evidence either way (the bus did not answer): waited on, never a failure by itself.</summary>
    public static CheckOutcome Unknown(string awaited) => new(CheckState.Unknown, awaited, "");

    /// <summary>Failed for good, before the timeout (a critical pod selector that matches nothing after its grace).</summary>
    public static CheckOutcome FailedNow(string failure) => new(CheckState.FailedNow, failure, failure);
}

/// <summary>Where one check stands.</summary>
internal enum CheckState
{
    /// <summary>Passed.</summary>
    Passed,

    /// <summary>Not passed yet; fails at the timeout.</summary>
    NotYet,

    /// <summary>No evidence; waited on.</summary>
    Unknown,

    /// <summary>Failed already; the gate fails now.</summary>
    FailedNow,
}
