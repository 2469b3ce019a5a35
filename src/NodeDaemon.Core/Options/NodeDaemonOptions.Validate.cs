namespace NodeDaemon.Core.Options;

/// <summary>Start-up validation of every option, reporting all problems at once.</summary>
public sealed partial record NodeDaemonOptions
{
    /// <summary>Shortest stage retry delay: a tighter loop only hammers the registry.</summary>
    internal static readonly TimeSpan MinRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest stage retry delay; it doubles per attempt, so this already spans many hours.</summary>
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>Shortest transaction timeout: below a minute not even a small layer pulls.</summary>
    internal static readonly TimeSpan MinTransactionTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Longest bounded wait of any kind; beyond a day a hung step should be reported, not waited on.</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromHours(24);

    /// <summary>Shortest drain timeout: graceful termination alone usually takes 30 s.</summary>
    internal static readonly TimeSpan MinDrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Every problem with these options, each one line that starts with the JSON key path, e.g.
    /// <c>drain.concurrency must be between 1 and 64, got 0</c>; empty when the options are usable.
    /// </summary>
    public IReadOnlyList<string> Validate() => [.. ValidateCore().Select(p => p.Message)];

    /// <summary>Like <see cref="Validate"/>, keeping the key path apart so the loader can name the source.</summary>
    internal IReadOnlyList<OptionProblem> ValidateCore()
    {
        var checks = new OptionChecks();
        ValidateTopLevel(checks);
        if (checks.NotNull("staging", Staging))
        {
            ValidateStaging(checks, Staging);
        }

        if (checks.NotNull("reboot", Reboot))
        {
            checks.Between("reboot.maxAttempts", Reboot.MaxAttempts, 1, 10);
            checks.SecondsBetween("reboot.requestTimeoutSeconds", Reboot.RequestTimeout, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
            checks.SecondsBetween("reboot.inhibitorWaitSeconds", Reboot.InhibitorWait, TimeSpan.Zero, TimeSpan.FromHours(24));
            checks.SecondsBetween("reboot.inhibitorRetrySeconds", Reboot.InhibitorRetry, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        }

        if (checks.NotNull("drain", Drain))
        {
            ValidateDrain(checks, Drain);
        }

        if (checks.NotNull("fleet", Fleet))
        {
            ValidateFleet(checks, Fleet);
        }

        if (checks.NotNull("maintenance", Maintenance))
        {
            ValidateMaintenance(checks, Maintenance);
        }

        if (checks.NotNull("health", Health))
        {
            ValidateHealth(checks, Health);
        }

        MetricsListenAddress? listen = null;
        if (checks.NotNull("metrics", Metrics) && !MetricsListenAddress.TryParse(Metrics.Listen, out listen, out var listenError))
        {
            checks.Add("metrics.listen", listenError!);
        }
        else if (listen is not null && !string.IsNullOrEmpty(StateDirectory) && listen.IsInside(StateDirectory))
        {
            checks.Add("metrics.listen", $"must not be inside stateDirectory {ValueText.Quote(StateDirectory)}, which holds the daemon's "
                + $"own records (a socket there could replace one); use a path like \"unix:/run/nodedaemon/metrics.sock\", got {ValueText.Quote(Metrics.Listen)}");
        }

        return checks.Problems;
    }

    private void ValidateTopLevel(OptionChecks checks)
    {
        if (!string.IsNullOrEmpty(NodeName))
        {
            checks.Name("nodeName", NodeName, KubernetesNames.CheckDnsSubdomain, "empty or a node name (a DNS-1123 subdomain)");
        }

        checks.Name("annotationPrefix", AnnotationPrefix, KubernetesNames.CheckAnnotationPrefix, "an annotation key prefix like \"nodedaemon.io/\"");
        if (Protocol is not (AnnotationProtocol.NodeDaemon or AnnotationProtocol.MachineConfigOperator))
        {
            checks.Add("protocol", $"must be \"nodeDaemon\" or \"machineConfigOperator\", got {ValueText.Integer((int)Protocol)}");
        }

        if (SignaturePolicy is not (SignaturePolicy.Unverified or SignaturePolicy.Verified))
        {
            checks.Add("signaturePolicy", $"must be \"unverified\" or \"verified\", got {ValueText.Integer((int)SignaturePolicy)}");
        }

        if (Backend is not (HostBackend.Auto or HostBackend.RpmOstree or HostBackend.Bootc))
        {
            checks.Add("backend", $"must be \"auto\", \"rpmOstree\" or \"bootc\", got {ValueText.Integer((int)Backend)}");
        }

        checks.AbsolutePath("authFile", AuthFile, required: false);
        checks.AbsolutePath("stateDirectory", StateDirectory, required: true);
        checks.AbsolutePath("bootIdFile", BootIdFile, required: true);
        checks.AbsolutePath("kubeconfig", Kubeconfig, required: false);
        checks.SecondsBetween("progressIntervalSeconds", ProgressInterval, TimeSpan.Zero, TimeSpan.FromHours(1));
    }

    private static void ValidateStaging(OptionChecks checks, StagingOptions staging)
    {
        checks.Between("staging.maxAttempts", staging.MaxAttempts, 1, 100);
        checks.SecondsBetween("staging.retryDelaySeconds", staging.RetryDelay, MinRetryDelay, MaxRetryDelay);
        checks.SecondsBetween("staging.transactionTimeoutSeconds", staging.TransactionTimeout, MinTransactionTimeout, MaxWait);
        checks.SecondsBetween("staging.busyWaitSeconds", staging.BusyWait, TimeSpan.Zero, MaxWait);
    }

    private static void ValidateDrain(OptionChecks checks, DrainOptions drain)
    {
        checks.SecondsBetween("drain.timeoutSeconds", drain.Timeout, MinDrainTimeout, MaxWait);
        if (drain.OnTimeout is not (DrainTimeoutPolicy.Uncordon or DrainTimeoutPolicy.StayCordoned))
        {
            checks.Add("drain.onTimeout", $"must be \"uncordon\" or \"stayCordoned\", got {ValueText.Integer((int)drain.OnTimeout)}");
        }

        checks.Between("drain.concurrency", drain.Concurrency, 1, 64);
        foreach (var problem in LabelSelectorSyntax.Check(drain.BlockingPodSelector ?? ""))
        {
            checks.Add("drain.blockingPodSelector", problem);
        }

        // The Eviction API takes whole seconds (DeleteOptions.gracePeriodSeconds is an int64).
        if (drain.PodGracePeriod is { } grace
            && (grace < TimeSpan.Zero || grace > MaxWait || grace.Ticks % TimeSpan.TicksPerSecond != 0))
        {
            checks.Add("drain.podGracePeriodSeconds",
                $"must be null or a whole number of seconds between 0 and {ValueText.Seconds(MaxWait)}, got {ValueText.Seconds(grace)}");
        }
    }

    private static void ValidateFleet(OptionChecks checks, FleetOptions fleet)
    {
        checks.Name("fleet.poolLabel", fleet.PoolLabel, KubernetesNames.CheckQualifiedName, "a label key like \"node-role.kubernetes.io/worker\"");
        if (!MaxUnavailableValue.TryParse(fleet.MaxUnavailable, out var max)
            || max.Amount < 1
            || (max.IsPercent && max.Amount > 100))
        {
            checks.Add("fleet.maxUnavailable",
                $"must be a positive integer like \"2\" or a percentage from 1% to 100% like \"10%\", got {ValueText.Quote(fleet.MaxUnavailable)}");
        }

        if (!MaxUnavailableValue.TryParse(fleet.MaxStaging, out var staging) || (staging.IsPercent && staging.Amount > 100))
        {
            checks.Add("fleet.maxStaging",
                $"must be 0 (unbounded), a positive integer like \"20\" or a percentage from 0% to 100% like \"4%\", got {ValueText.Quote(fleet.MaxStaging)}");
        }

        checks.Name("fleet.leaseNamespace", fleet.LeaseNamespace, KubernetesNames.CheckDnsLabel, "a namespace name (a DNS-1123 label)");
        checks.AtLeast("fleet.haltAfterFailures", fleet.HaltAfterFailures, 1);
    }
}
