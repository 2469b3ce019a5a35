namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>The kubelet model's nominal timings (scaled by the server's time scale), each close to a real kubelet's.</summary>
public sealed record KubeletTimings
{
    /// <summary>From the boot to the kubelet's first status post (<c>Ready=False</c>): the kubelet starts late in the boot,
    /// so a client that reads the Node before it sees the stale status from before the reboot.</summary>
    public TimeSpan FirstPost { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>From the first post to <c>Ready=True</c>: the runtime check completes and the next status sync posts it,
    /// one <c>nodeStatusUpdateFrequency</c> (10 s by default; kubernetes
    /// <c>pkg/kubelet/apis/config/v1beta1/defaults.go</c>).</summary>
    public TimeSpan Ready { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>From the node's <c>Ready=True</c> to its DaemonSet pods' <c>Ready=True</c> (containers started, probes passed).</summary>
    public TimeSpan PodsReady { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first crash-loop back-off; it doubles per restart up to <see cref="MaxBackOff"/> (the kubelet's
    /// <c>backOffPeriod</c> 10 s and <c>MaxContainerBackOff</c> 300 s, <c>pkg/kubelet/kubelet.go</c>).</summary>
    public TimeSpan BackOff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest crash-loop back-off.</summary>
    public TimeSpan MaxBackOff { get; init; } = TimeSpan.FromSeconds(300);
}
