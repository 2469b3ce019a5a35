namespace NodeDaemon.Core.Options;

/// <summary>The table of every configuration key; the loader binds through it instead of reflection (Native AOT).</summary>
internal static class OptionKeys
{
    /// <summary>The keys that hold objects rather than values.</summary>
    public static readonly IReadOnlyList<string> Sections = ["staging", "reboot", "drain", "fleet", "maintenance", "health", "metrics"];

    /// <summary>Every leaf key, in documentation order.</summary>
    public static readonly IReadOnlyList<OptionKey> All =
    [
        Text("nodeName", o => o.NodeName, (o, v) => o with { NodeName = v }),
        Text("annotationPrefix", o => o.AnnotationPrefix, (o, v) => o with { AnnotationPrefix = v }),
        Choice("protocol", o => o.Protocol, (o, v) => o with { Protocol = v },
            ("nodeDaemon", AnnotationProtocol.NodeDaemon), ("machineConfigOperator", AnnotationProtocol.MachineConfigOperator)),
        Boolean("allowTags", o => o.AllowTags, (o, v) => o with { AllowTags = v }),
        new OptionKey("allowedImages", OptionKind.ImagePrefixList, o => o.AllowedImages,
            (o, v) => o with { AllowedImages = (IReadOnlyList<Images.ImageRepositoryPrefix>)v! }),
        Choice("signaturePolicy", o => o.SignaturePolicy, (o, v) => o with { SignaturePolicy = v },
            ("unverified", SignaturePolicy.Unverified), ("verified", SignaturePolicy.Verified)),
        Choice("backend", o => o.Backend, (o, v) => o with { Backend = v },
            ("auto", HostBackend.Auto), ("rpmOstree", HostBackend.RpmOstree), ("bootc", HostBackend.Bootc)),
        Text("authFile", o => o.AuthFile, (o, v) => o with { AuthFile = v }),
        Text("stateDirectory", o => o.StateDirectory, (o, v) => o with { StateDirectory = v }),
        Text("bootIdFile", o => o.BootIdFile, (o, v) => o with { BootIdFile = v }),
        Text("kubeconfig", o => o.Kubeconfig, (o, v) => o with { Kubeconfig = v }),
        Choice("logLevel", o => o.LogLevel, (o, v) => o with { LogLevel = v },
            ("information", LogVerbosity.Information), ("debug", LogVerbosity.Debug), ("trace", LogVerbosity.Trace)),
        Seconds("progressIntervalSeconds", o => o.ProgressInterval, (o, v) => o with { ProgressInterval = v }),

        Integer("staging.maxAttempts", o => o.Staging.MaxAttempts, (o, v) => o with { Staging = o.Staging with { MaxAttempts = v } }),
        Seconds("staging.retryDelaySeconds", o => o.Staging.RetryDelay, (o, v) => o with { Staging = o.Staging with { RetryDelay = v } }),
        Seconds("staging.transactionTimeoutSeconds", o => o.Staging.TransactionTimeout, (o, v) => o with { Staging = o.Staging with { TransactionTimeout = v } }),
        Seconds("staging.busyWaitSeconds", o => o.Staging.BusyWait, (o, v) => o with { Staging = o.Staging with { BusyWait = v } }),

        Integer("reboot.maxAttempts", o => o.Reboot.MaxAttempts, (o, v) => o with { Reboot = o.Reboot with { MaxAttempts = v } }),
        Seconds("reboot.requestTimeoutSeconds", o => o.Reboot.RequestTimeout, (o, v) => o with { Reboot = o.Reboot with { RequestTimeout = v } }),
        Seconds("reboot.inhibitorWaitSeconds", o => o.Reboot.InhibitorWait, (o, v) => o with { Reboot = o.Reboot with { InhibitorWait = v } }),
        Seconds("reboot.inhibitorRetrySeconds", o => o.Reboot.InhibitorRetry, (o, v) => o with { Reboot = o.Reboot with { InhibitorRetry = v } }),

        Seconds("drain.timeoutSeconds", o => o.Drain.Timeout, (o, v) => o with { Drain = o.Drain with { Timeout = v } }),
        Choice("drain.onTimeout", o => o.Drain.OnTimeout, (o, v) => o with { Drain = o.Drain with { OnTimeout = v } },
            ("uncordon", DrainTimeoutPolicy.Uncordon), ("stayCordoned", DrainTimeoutPolicy.StayCordoned)),
        Boolean("drain.deleteEmptyDirData", o => o.Drain.DeleteEmptyDirData, (o, v) => o with { Drain = o.Drain with { DeleteEmptyDirData = v } }),
        Boolean("drain.evictUnreplicated", o => o.Drain.EvictUnreplicated, (o, v) => o with { Drain = o.Drain with { EvictUnreplicated = v } }),
        Integer("drain.concurrency", o => o.Drain.Concurrency, (o, v) => o with { Drain = o.Drain with { Concurrency = v } }),
        Text("drain.blockingPodSelector", o => o.Drain.BlockingPodSelector, (o, v) => o with { Drain = o.Drain with { BlockingPodSelector = v } }),
        OptionalSeconds("drain.podGracePeriodSeconds", o => o.Drain.PodGracePeriod, (o, v) => o with { Drain = o.Drain with { PodGracePeriod = v } }),

        Boolean("fleet.enabled", o => o.Fleet.Enabled, (o, v) => o with { Fleet = o.Fleet with { Enabled = v } }),
        Text("fleet.poolLabel", o => o.Fleet.PoolLabel, (o, v) => o with { Fleet = o.Fleet with { PoolLabel = v } }),
        new OptionKey("fleet.maxUnavailable", OptionKind.IntegerOrText, o => o.Fleet.MaxUnavailable, (o, v) => o with { Fleet = o.Fleet with { MaxUnavailable = (string)v! } }),
        new OptionKey("fleet.maxStaging", OptionKind.IntegerOrText, o => o.Fleet.MaxStaging, (o, v) => o with { Fleet = o.Fleet with { MaxStaging = (string)v! } }),
        Text("fleet.leaseNamespace", o => o.Fleet.LeaseNamespace, (o, v) => o with { Fleet = o.Fleet with { LeaseNamespace = v } }),
        Integer("fleet.haltAfterFailures", o => o.Fleet.HaltAfterFailures, (o, v) => o with { Fleet = o.Fleet with { HaltAfterFailures = v } }),

        new OptionKey("maintenance.windows", OptionKind.WindowList, o => o.Maintenance.Windows,
            (o, v) => o with { Maintenance = o.Maintenance with { Windows = (IReadOnlyList<MaintenanceWindowOptions>)v! } }),
        Text("maintenance.timeZone", o => o.Maintenance.TimeZone, (o, v) => o with { Maintenance = o.Maintenance with { TimeZone = v } }),

        Seconds("health.timeoutSeconds", o => o.Health.Timeout, (o, v) => o with { Health = o.Health with { Timeout = v } }),
        TextList("health.criticalPodSelectors", o => o.Health.CriticalPodSelectors, (o, v) => o with { Health = o.Health with { CriticalPodSelectors = v } }),
        Seconds("health.criticalPodGraceSeconds", o => o.Health.CriticalPodGrace, (o, v) => o with { Health = o.Health with { CriticalPodGrace = v } }),
        TextList("health.units", o => o.Health.Units, (o, v) => o with { Health = o.Health with { Units = v } }),
        Boolean("health.bootComplete", o => o.Health.BootComplete, (o, v) => o with { Health = o.Health with { BootComplete = v } }),
        Text("health.kubeletHealthz", o => o.Health.KubeletHealthz, (o, v) => o with { Health = o.Health with { KubeletHealthz = v } }),
        Choice("health.onApiSilence", o => o.Health.OnApiSilence, (o, v) => o with { Health = o.Health with { OnApiSilence = v } },
            ("wait", ApiSilencePolicy.Wait), ("local", ApiSilencePolicy.Local)),
        Boolean("health.keepCordonAfterRollback", o => o.Health.KeepCordonAfterRollback,
            (o, v) => o with { Health = o.Health with { KeepCordonAfterRollback = v } }),

        Text("metrics.listen", o => o.Metrics.Listen, (o, v) => o with { Metrics = o.Metrics with { Listen = v } }),
    ];

    private static readonly Dictionary<string, OptionKey> _byPath = All.ToDictionary(k => k.Path, StringComparer.Ordinal);

    /// <summary>The key at a JSON path, matched exactly.</summary>
    public static OptionKey? Find(string path) => _byPath.GetValueOrDefault(path);

    /// <summary>The keys directly inside <paramref name="section"/> (empty for the root).</summary>
    public static IEnumerable<OptionKey> In(string section) => All.Where(k => k.Section == section);

    private static OptionKey Text(string path, Func<NodeDaemonOptions, string> get, Func<NodeDaemonOptions, string, NodeDaemonOptions> set) =>
        new(path, OptionKind.Text, o => get(o), (o, v) => set(o, (string)v!));

    private static OptionKey TextList(string path, Func<NodeDaemonOptions, IReadOnlyList<string>> get, Func<NodeDaemonOptions, IReadOnlyList<string>, NodeDaemonOptions> set) =>
        new(path, OptionKind.TextList, o => get(o), (o, v) => set(o, (IReadOnlyList<string>)v!));

    private static OptionKey Boolean(string path, Func<NodeDaemonOptions, bool> get, Func<NodeDaemonOptions, bool, NodeDaemonOptions> set) =>
        new(path, OptionKind.Boolean, o => get(o), (o, v) => set(o, (bool)v!));

    private static OptionKey Integer(string path, Func<NodeDaemonOptions, int> get, Func<NodeDaemonOptions, int, NodeDaemonOptions> set) =>
        new(path, OptionKind.Integer, o => get(o), (o, v) => set(o, (int)v!));

    private static OptionKey Seconds(string path, Func<NodeDaemonOptions, TimeSpan> get, Func<NodeDaemonOptions, TimeSpan, NodeDaemonOptions> set) =>
        new(path, OptionKind.Seconds, o => get(o), (o, v) => set(o, (TimeSpan)v!));

    private static OptionKey OptionalSeconds(string path, Func<NodeDaemonOptions, TimeSpan?> get, Func<NodeDaemonOptions, TimeSpan?, NodeDaemonOptions> set) =>
        new(path, OptionKind.OptionalSeconds, o => get(o), (o, v) => set(o, (TimeSpan?)v));

    private static OptionKey Choice<T>(string path, Func<NodeDaemonOptions, T> get, Func<NodeDaemonOptions, T, NodeDaemonOptions> set, params (string Name, T Value)[] choices)
        where T : struct, Enum =>
        new(path, OptionKind.Choice, o => get(o), (o, v) => set(o, (T)v!), [.. choices.Select(c => new OptionChoice(c.Name, c.Value))]);
}
