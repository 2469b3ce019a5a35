using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>The node annotation keys a scenario reads and writes, for the protocol its daemon is configured with.</summary>
/// <remarks>
/// Written out here rather than taken from the daemon's <c>AnnotationKeys</c>, so that a wrong key in the daemon fails a
/// scenario. The machine-config-operator's keys are those of machine-config-daemon's
/// <c>pkg/daemon/constants/constants.go</c> (<c>DesiredImageAnnotationKey</c>, <c>CurrentImageAnnotationKey</c>,
/// <c>MachineConfigDaemonStateAnnotationKey</c> with Done/Working/Degraded, <c>MachineConfigDaemonReasonAnnotationKey</c>);
/// it has no phase, message or cordon mark, which stay under the daemon's own prefix.
/// </remarks>
/// <param name="DesiredImage">The admin's input.</param>
/// <param name="CurrentImage">The booted image the daemon reports.</param>
/// <param name="State">Done, Working or Degraded.</param>
/// <param name="Reason">Why the node is Degraded.</param>
/// <param name="Phase">The daemon's phase.</param>
/// <param name="Message">The latest progress line.</param>
/// <param name="CordonedBy">The daemon's cordon mark.</param>
public sealed record ScenarioKeys(string DesiredImage, string CurrentImage, string State, string Reason, string Phase,
    string Message, string CordonedBy)
{
    private const string MachineConfig = "machineconfiguration.openshift.io/";

    /// <summary>The output keys of the other protocol: a daemon speaking this one must never write them.</summary>
    public IReadOnlyList<string> OtherProtocolOutputs { get; private init; } = [];

    /// <summary>The keys for a scenario's daemon options (<c>protocol</c>, <c>annotationPrefix</c>).</summary>
    public static ScenarioKeys For(JsonObject? options)
    {
        var prefix = (string?)options?["annotationPrefix"] ?? "nodedaemon.io/";
        var own = new ScenarioKeys(prefix + "desired-image", prefix + "current-image", prefix + "state", prefix + "reason",
            prefix + "phase", prefix + "message", prefix + "cordoned-by");
        string[] mcoOutputs = [MachineConfig + "currentImage", MachineConfig + "state", MachineConfig + "reason"];
        return (string?)options?["protocol"] switch
        {
            null or "nodeDaemon" => own with { OtherProtocolOutputs = mcoOutputs },
            "machineConfigOperator" => own with
            {
                DesiredImage = MachineConfig + "desiredImage",
                CurrentImage = mcoOutputs[0],
                State = mcoOutputs[1],
                Reason = mcoOutputs[2],
                OtherProtocolOutputs = [own.CurrentImage, own.State, own.Reason],
            },
            var other => throw new ScenarioException($"options.protocol: \"{other}\" is neither nodeDaemon nor machineConfigOperator"),
        };
    }
}
