
namespace NodeDaemon.Sim.Fleet;

/// <summary>Turns a pool run and the lone node's T into the printed <see cref="FleetResult"/>, in nominal seconds, and judges it.</summary>
public static class FleetReport
{
    /// <summary>The result of <paramref name="pool"/>, with T = <paramref name="loneNodeMs"/> real milliseconds.</summary>
    public static FleetResult Build(FleetRun pool, double loneNodeMs, TimeSpan wall)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var run = pool.Settings;
        double Nominal(double realMs) => Math.Round(realMs / 1000 / run.TimeScale, 1);
        var makespan = Nominal(pool.EndMs);
        var updated = pool.Nodes.Values.Where(n => n is { CordonedAtMs: not null, DoneAtMs: not null }).ToList();
        var firstCordonMs = updated.Count > 0 ? updated.Min(n => n.CordonedAtMs!.Value) : 0;
        var cordonedMs = updated.Sum(n => (double)(n.DoneAtMs!.Value - n.CordonedAtMs!.Value));
        var ideal = Math.Ceiling((double)run.Nodes / run.MaxUnavailable) * Nominal(loneNodeMs);
        var total = pool.Requests.Values.Sum();
        var observer = pool.Observer;
        var failures = new List<string>();
        if (observer.MaxConcurrentCordoned > run.MaxUnavailable || observer.CordonViolations > 0)
        {
            failures.Add($"{observer.MaxConcurrentCordoned} nodes cordoned at once, more than maxUnavailable {run.MaxUnavailable}");
        }

        if (run.MaxStaging > 0 && pool.PeakConcurrentPulls > run.MaxStaging)
        {
            failures.Add($"{pool.PeakConcurrentPulls} pulls at once, more than maxStaging {run.MaxStaging}");
        }

        if (observer.BudgetViolations > 0)
        {
            failures.Add($"{observer.BudgetViolations} budget violations");
        }

        var haltExpected = run.BadImage || run.FailNodes >= run.HaltAfter;
        var blast = BlastRadius.Of(pool.Agents, FleetRunner.TargetDigest);
        if (run.BadImage && blast.Booted > run.HaltAfter)
        {
            failures.Add($"{blast.Booted} nodes booted the bad image, more than haltAfterFailures {run.HaltAfter}");
        }

        if (run.BadImage && !pool.Halted)
        {
            failures.Add("the pool did not halt on the bad image");
        }

        var bystanders = run.BadImage ? Bystanders(pool) : [];
        if (bystanders.Count > 0)
        {
            failures.Add($"{bystanders.Count} nodes that never booted the bad image are not schedulable on the old one: {string.Join(", ", bystanders.Take(5))}");
        }
        if (pool.Halted && !haltExpected)
        {
            failures.Add($"the pool halted with {run.FailNodes} failing nodes and haltAfterFailures {run.HaltAfter}");
        }

        if (pool.Halted && observer.SlotGrantsAfterHalt > 0)
        {
            failures.Add($"{observer.SlotGrantsAfterHalt} slots granted after the pool reached its halt threshold");
        }

        if (!pool.Converged && !pool.Halted)
        {
            failures.Add("neither converged nor halted before the timeout");
        }

        // With RBAC enforced, a 403 means the shipped manifest does not grant something the daemon does.
        failures.AddRange(pool.Errors.Where(e => e.Key.EndsWith(" 403", StringComparison.Ordinal))
            .Select(e => $"{e.Value} requests refused by RBAC ({e.Key}): docs/rbac.yaml does not grant what the daemon does"));

        var unsettled = pool.Nodes.Where(n => n.Value.DoneAtMs is null && n.Value.State != "Degraded")
            .Select(n => $"{n.Key}: {n.Value.Phase}: {n.Value.Message}").Take(20).ToList();
        return new FleetResult
        {
            Nodes = run.Nodes,
            MaxUnavailable = run.MaxUnavailable,
            MaxStaging = run.MaxStaging,
            PeakConcurrentPulls = pool.PeakConcurrentPulls,
            Converged = pool.Converged,
            BadImage = run.BadImage,
            NodesBootedBadImage = run.BadImage ? blast.Booted : 0,
            NodesRolledBack = run.BadImage ? blast.RolledBack : 0,
            NodesOnBadImage = run.BadImage ? blast.Still : 0,
            UnschedulableBystanders = bystanders,
            HealthTimeoutSeconds = run.HealthTimeout.TotalSeconds,
            Halted = pool.Halted,
            Passed = failures.Count == 0,
            Failures = failures,
            MakespanSeconds = makespan,
            IdealMakespanSeconds = ideal,
            MakespanRatio = ideal > 0 ? Math.Round(makespan / ideal, 3) : 0,
            LoneNodeSeconds = Nominal(loneNodeMs),
            MeanCordonToDoneSeconds = Nominal(pool.MeanCordonToDoneMs),
            CordonToDoneInflation = loneNodeMs > 0 ? Math.Round(pool.MeanCordonToDoneMs / loneNodeMs, 3) : 0,
            StarvationSeconds = Math.Round(Math.Ceiling((double)run.Nodes / run.MaxUnavailable) * (Nominal(pool.MeanCordonToDoneMs) - Nominal(loneNodeMs)), 1),
            TimerLagMs = Math.Round(pool.Harness.MeanLagMs, 1),
            TimerLagP99Ms = Math.Round(pool.Harness.P99LagMs, 1),
            ConnectionsPerNode = Math.Round((double)pool.Connections.Idle / run.Nodes, 2),
            PeakConnectionsPerNode = Math.Round((double)pool.Connections.Peak / run.Nodes, 2),
            AcceptedConnectionsPerNode = Math.Round((double)pool.Connections.Accepted / run.Nodes, 2),
            ConnectionsByProtocol = pool.Connections.ByProtocol,
            StartupConnectionsPerNode = Math.Round((double)pool.Connections.StartupAccepted / run.Nodes, 2),
            ConnectionEndsAtStartup = pool.Connections.StartupEnds,
            ConnectionEnds = pool.Connections.Ends,
            PeakSockets = pool.Harness.PeakSockets,
            PeakOpenFiles = pool.Harness.PeakOpenFiles,
            CordonToDoneSecondsByQuarter = [.. pool.CordonToDoneMsByQuarter().Select(Nominal)],
            MaxConcurrentCordoned = observer.MaxConcurrentCordoned,
            CordonViolations = observer.CordonViolations,
            BudgetViolations = observer.BudgetViolations,
            ApiRequestsPerNode = Math.Round((double)total / run.Nodes, 1),
            ApiRequestsPerNodeByKind = pool.Requests.OrderByDescending(r => r.Value)
                .ToDictionary(r => r.Key, r => Math.Round((double)r.Value / run.Nodes, 2), StringComparer.Ordinal),
            ObjectsListedPerNode = pool.Listed.ToDictionary(l => l.Key, l => Math.Round((double)l.Value / run.Nodes, 1), StringComparer.Ordinal),
            ApiErrors = pool.Errors,
            StartupRequestsPerNode = Math.Round((double)pool.StartupRequests.Values.Sum() / run.Nodes, 1),
            LeaseConflicts = pool.Errors.Where(e => e.Key.Contains(" leases 409", StringComparison.Ordinal)).Sum(e => e.Value),
            SlotGrants = observer.SlotGrants,
            SlotHandOvers = observer.SlotHandOvers,
            SlotsFreed = observer.SlotsFreed,
            MeanDoneToHandOverSeconds = Nominal(observer.DoneToHandOverMs.DefaultIfEmpty(0).Average()),
            MeanHandOverToCordonSeconds = Nominal(observer.HandOverToCordonMs.DefaultIfEmpty(0).Average()),
            FirstCordonSeconds = Nominal(firstCordonMs),
            SlotUtilization = pool.EndMs > firstCordonMs
                ? Math.Round(cordonedMs / ((double)run.MaxUnavailable * (pool.EndMs - firstCordonMs)), 3)
                : 0,
            SlotGrantsAfterHalt = observer.SlotGrantsAfterHalt,
            MeanPhaseSeconds = pool.Nodes.Values.SelectMany(n => n.PhaseMs).Where(p => p.Key != "Idle").GroupBy(p => p.Key)
                .ToDictionary(g => g.Key, g => Nominal(g.Sum(p => p.Value) / (double)run.Nodes), StringComparer.Ordinal),
            DoneNodes = pool.Nodes.Values.Count(n => n.DoneAtMs is not null),
            DegradedNodes = [.. pool.Nodes.Where(n => n.Value.State == "Degraded").Select(n => n.Key)],
            DegradedMessages = pool.Nodes.Where(n => n.Value.State == "Degraded").ToDictionary(n => n.Key, n => n.Value.Message ?? "", StringComparer.Ordinal),
            FailingNodes = [.. pool.Agents.Where(a => a.LosesStage).Select(a => a.Name)],
            Unsettled = unsettled,
            Crashes = pool.Agents.Sum(a => a.Crashes),
            LoopFailures = pool.Agents.Sum(a => a.Failures),
            LastLoopFailure = pool.Agents.Select(a => a.LastFailure).LastOrDefault(f => f is not null),
            LoopFailuresByReason = pool.Agents.SelectMany(a => a.FailureReasons()).GroupBy(r => r.Key, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, g.Sum(r => r.Value))).OrderByDescending(r => r.Value).Take(10)
                .ToDictionary(StringComparer.Ordinal),
            Reboots = pool.Agents.Sum(a => a.Boots - 1),
            WallSeconds = Math.Round(wall.TotalSeconds, 1),
            RunWallSeconds = Math.Round(pool.EndMs / 1000.0, 1),
            TimeScale = run.TimeScale,
            SlotRecheckSeconds = run.SlotRecheck.TotalSeconds,
            WatchTimeoutSeconds = Math.Round(run.WatchTimeout.TotalSeconds / run.TimeScale, 1),
            WaitWatchTimeoutSeconds = Math.Round(run.WaitWatchTimeout.TotalSeconds / run.TimeScale, 1),
        };
    }

    /// <summary>The nodes that never booted the target but end cordoned or on another image than the one they started on.</summary>
    internal static IReadOnlyList<string> Bystanders(FleetRun pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return [.. pool.Agents.Where(a => !a.BootedDigests.Contains(FleetRunner.TargetDigest))
            .Where(a => a.BootedDigests[^1] != a.BootedDigests[0] || (pool.Nodes.TryGetValue(a.Name, out var n) && n.Cordoned))
            .Select(a => a.Name).Order(StringComparer.Ordinal)];
    }
}
