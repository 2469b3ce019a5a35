using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Health;

/// <summary>The health gate's rules as a table: one row per situation, with fake times, and the exact verdict.</summary>
public sealed class HealthRulesTableTests
{
    /// <summary>One row: evidence and options at a moment, and the verdict they must give.</summary>
    public sealed record Row(string Name, HealthEvidence Evidence, HealthOptions Options, DateTimeOffset Now, HealthVerdict Expected)
    {
        public override string ToString() => Name;
    }

    // The boot at 12:00:00.4, the gate started 30 s later; the default timeout ends the gate at 12:10:30.
    private static readonly DateTimeOffset Boot = new(2026, 3, 1, 12, 0, 0, 400, TimeSpan.Zero);
    private static readonly DateTimeOffset Gate = Boot.AddSeconds(30);
    private static readonly HealthCheckContext Context = new("worker-1", Boot, Gate);
    private static readonly HealthOptions Gate600 = new();
    private static readonly HealthOptions Cni = new() { CriticalPodSelectors = ["k8s-app=cni"] };
    private static readonly HealthOptions CniAndMon = new() { CriticalPodSelectors = ["k8s-app=cni", "app=mon"] };
    private static readonly HealthOptions LocalSilence = new() { OnApiSilence = ApiSilencePolicy.Local };

    private static DateTimeOffset At(int secondsAfterBoot) => Boot.AddSeconds(secondsAfterBoot);

    private static NodeReadyCondition Ready(int heartbeat, int transition, string status = "True") =>
        new(status, At(heartbeat), At(transition), status == "True" ? "KubeletReady" : "KubeletNotReady", "");

    private static readonly NodeReadyCondition ReadyNow = Ready(60, 60);
    private static readonly NodeReadyCondition NotReady = Ready(60, 40, "False");

    // The kubelet's Ready from before the reboot, neither renewed nor changed since.
    private static readonly NodeReadyCondition StaleReady = Ready(-20, -3600);

    private static PodEvidence Pod(string name, bool ready = true, int started = 50, int restarts = 0, string? waiting = null) =>
        new("kube-system", name, ready, ready ? At(started + 5) : At(started), ready || waiting is null ? At(started) : null, restarts, waiting);

    private static HealthEvidence Api(NodeReadyCondition? ready, SelectorEvidence[]? selectors = null, LocalEvidence? local = null, int answeringSince = 31) =>
        new(new ClusterEvidence(ready, selectors ?? [], At(answeringSince)), null, local ?? LocalEvidence.None);

    private static HealthEvidence Silent(LocalEvidence? local = null) =>
        new(null, "connection refused", local ?? LocalEvidence.None);

    private static SelectorEvidence Sel(string selector, params PodEvidence[] pods) => new(selector, pods);

    private static LocalEvidence Units(params UnitEvidence[] units) => new(units, null, null);

    private static UnitEvidence Unit(string active, string load = "loaded", string name = "crio.service") => new(name, load, active, null);

    private static readonly HealthVerdict Passed = new HealthVerdict.Passed();

    private static HealthVerdict.Waiting Waiting(string message) => new HealthVerdict.Waiting(message);

    private static HealthVerdict.Failed Failed(string reason) => new HealthVerdict.Failed(reason);

    private static readonly Row[] s_rows =
    [
        // The gate off is today's behaviour: whatever the evidence.
        new("gate off passes at once", Silent(), Gate600 with { Timeout = TimeSpan.Zero }, At(31), Passed),

        // Kubelet Ready since this boot.
        new("Ready posted after the boot passes", Api(ReadyNow), Gate600, At(61), Passed),
        new("Ready renewed after the boot (transition before it) passes", Api(Ready(70, -3600)), Gate600, At(71), Passed),
        new("Ready posted in the boot's own second counts (times are whole seconds)", Api(new NodeReadyCondition("True", Boot.AddMilliseconds(-400), At(-3600), null, null)), Gate600, At(40), Passed),
        new("stale Ready from before the boot waits", Api(StaleReady), Gate600, At(90),
            Waiting("waiting for kubelet Ready since this boot (its Ready is from before the boot) (9 min left)")),
        new("stale Ready at the timeout fails", Api(StaleReady), Gate600, At(630),
            Failed("kubelet not Ready since this boot 630 s after boot")),
        new("Ready=False waits, time left in minutes", Api(NotReady), Gate600, At(150), Waiting("waiting for kubelet Ready (8 min left)")),
        new("Ready=False waits, time left in seconds under two minutes", Api(NotReady), Gate600, At(600), Waiting("waiting for kubelet Ready (30 s left)")),
        new("no Ready condition waits", Api(null), Gate600, At(30), Waiting("waiting for kubelet Ready (10 min left)")),
        new("Ready=Unknown at the timeout fails", Api(Ready(-20, 20, "Unknown")), Gate600, At(630), Failed("kubelet not Ready 630 s after boot")),
        new("Ready=False at the timeout fails, in words", Api(NotReady), Gate600, At(631), Failed("kubelet not Ready 631 s after boot")),
        new("Ready late but within the timeout passes", Api(Ready(620, 620)), Gate600, At(625), Passed),

        // Critical pods.
        new("critical pods all Ready since the boot pass", Api(ReadyNow, [Sel("k8s-app=cni", Pod("cni-a")), Sel("app=mon", Pod("mon-a"))]), CniAndMon, At(90), Passed),
        new("one critical pod not Ready waits, naming it", Api(NotReady, [Sel("k8s-app=cni", Pod("cni-x7", ready: false)), Sel("app=mon", Pod("mon-a"))]), CniAndMon, At(150),
            Waiting("waiting for kubelet Ready (8 min left); 1/2 critical pods Ready: kube-system/cni-x7 not Ready")),
        new("a crash-looping pod is not Ready, with its restarts", Api(ReadyNow, [Sel("k8s-app=cni", Pod("cni-x7", ready: false, restarts: 5, waiting: "CrashLoopBackOff"))]), Cni, At(150),
            Waiting("waiting for 0/1 critical pods Ready: kube-system/cni-x7 not Ready (CrashLoopBackOff, 5 restarts) (8 min left)")),
        new("a crash-looping pod at the timeout fails", Api(ReadyNow, [Sel("k8s-app=cni", Pod("cni-x7", ready: false, restarts: 1, waiting: "CrashLoopBackOff"))]), Cni, At(630),
            Failed("critical pod kube-system/cni-x7 not Ready (CrashLoopBackOff, 1 restart) 630 s after boot")),
        new("a pod Ready only from before the boot waits", Api(ReadyNow, [Sel("k8s-app=cni", Pod("cni-old", started: -600))]), Cni, At(90),
            Waiting("waiting for 0/1 critical pods Ready: kube-system/cni-old Ready only from before the boot (9 min left)")),
        new("a pod matched by two selectors counts once", Api(ReadyNow, [Sel("k8s-app=cni", Pod("cni-a", ready: false)), Sel("app=mon", Pod("cni-a", ready: false))]), CniAndMon, At(90),
            Waiting("waiting for 0/1 critical pods Ready: kube-system/cni-a not Ready (9 min left)")),
        new("many pods not Ready: three named", Api(ReadyNow, [Sel("k8s-app=cni", Pod("a", false), Pod("b", false), Pod("c", false), Pod("d", false), Pod("e"))]), Cni, At(90),
            Waiting("waiting for 1/5 critical pods Ready: kube-system/a not Ready, kube-system/b not Ready, kube-system/c not Ready and 1 more (9 min left)")),
        new("selector without a pod within the grace waits", Api(ReadyNow, [Sel("k8s-app=cni")]), Cni, At(300),
            Waiting("waiting for a pod matching \"k8s-app=cni\" (5 min left)")),
        new("selector without a pod after the grace fails at once", Api(ReadyNow, [Sel("k8s-app=cni")]), Cni, At(330),
            Failed("no pod matching \"k8s-app=cni\" on the node 300 s after the gate started")),
        new("grace longer than the timeout: the timeout decides", Api(ReadyNow, [Sel("k8s-app=cni")]), Cni with { CriticalPodGrace = TimeSpan.FromHours(1) }, At(630),
            Failed("no pod matching \"k8s-app=cni\" on the node 630 s after boot")),

        // Local checks.
        new("units active pass", Api(ReadyNow, local: Units(Unit("active"), Unit("inactive", name: "oneshot.service"))), Gate600, At(90), Passed),
        new("a failed unit waits for the timeout", Api(ReadyNow, local: Units(Unit("failed"))), Gate600, At(90), Waiting("waiting for unit crio.service (failed) (9 min left)")),
        new("a failed unit at the timeout fails", Api(ReadyNow, local: Units(Unit("failed"))), Gate600, At(630), Failed("unit crio.service failed 630 s after boot")),
        new("a unit the image lacks fails at the timeout", Api(ReadyNow, local: Units(Unit("inactive", load: "not-found"))), Gate600, At(630), Failed("unit crio.service not found 630 s after boot")),
        new("a unit still activating waits", Api(ReadyNow, local: Units(Unit("activating"))), Gate600, At(90), Waiting("waiting for unit crio.service (activating) (9 min left)")),
        new("boot-complete.target active passes", Api(ReadyNow, local: new([], Unit("active", name: "boot-complete.target"), null)), Gate600, At(90), Passed),
        new("boot-complete.target not reached at the timeout fails", Api(ReadyNow, local: new([], Unit("inactive", name: "boot-complete.target"), null)), Gate600, At(630),
            Failed("boot-complete.target not reached (inactive) 630 s after boot")),
        new("kubelet healthz 200 passes", Api(ReadyNow, local: new([], null, new(200, null))), Gate600, At(90), Passed),
        new("kubelet healthz refused waits", Api(ReadyNow, local: new([], null, new(null, "connection refused"))), Gate600, At(90),
            Waiting("waiting for kubelet healthz (connection refused) (9 min left)")),
        new("kubelet healthz 500 at the timeout fails", Api(ReadyNow, local: new([], null, new(500, null))), Gate600, At(630), Failed("kubelet healthz answered HTTP 500 630 s after boot")),
        new("system bus silent at the timeout: no answer is named", Api(ReadyNow, local: Units(new UnitEvidence("crio.service", null, null, "system bus unreachable"))), Gate600, At(630),
            Failed("no answer about unit crio.service (system bus unreachable) 630 s after boot")),

        // API silence is never a failure by itself.
        new("API silent within the timeout waits", Silent(), Gate600, At(90), Waiting("waiting for the API server (connection refused) (9 min left)")),
        new("API silent past the timeout still waits", Silent(), Gate600, At(4000), Waiting("waiting for the API server (connection refused) (timeout passed)")),
        new("wait: passing local checks do not pass the gate", Silent(Units(Unit("active"))), Gate600, At(90), Waiting("waiting for the API server (connection refused) (9 min left)")),
        new("wait: a failed unit fails at the timeout despite the silence", Silent(Units(Unit("failed"))), Gate600, At(630),
            Failed("unit crio.service failed, API server unreachable 630 s after boot")),
        new("wait: no answer from the bus either still waits", Silent(Units(new UnitEvidence("crio.service", null, null, "system bus unreachable"))), Gate600, At(630),
            Waiting("waiting for unit crio.service (system bus unreachable) (timeout passed); the API server (connection refused)")),
        new("local: passing local checks pass the gate", Silent(Units(Unit("active"))), LocalSilence, At(90), Passed),
        new("local: without a local check configured, waits", Silent(), LocalSilence, At(630), Waiting("waiting for the API server (connection refused) (timeout passed)")),
        new("local: a local check not passed yet waits", Silent(new([], null, new(null, "connection refused"))), LocalSilence, At(90),
            Waiting("waiting for kubelet healthz (connection refused) (9 min left); the API server (connection refused)")),
        new("API back just before the timeout: its evidence gets a minute", Api(NotReady, answeringSince: 620), Gate600, At(640), Waiting("waiting for kubelet Ready (timeout passed)")),
        new("API back a minute before: the timeout applies", Api(NotReady, answeringSince: 620), Gate600, At(680), Failed("kubelet not Ready 680 s after boot")),
        new("API back after a silence, kubelet posted: passes", Api(Ready(625, 625), answeringSince: 620), Gate600, At(626), Passed),
    ];

    public static TheoryData<Row> Rows => [.. s_rows];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Verdict(Row row) =>
        Assert.Equal(row.Expected, HealthRules.Judge(row.Evidence, row.Options, Context, row.Now));

    [Fact]
    public void Row_names_are_unique() =>
        Assert.Equal(s_rows.Length, s_rows.Select(r => r.Name).Distinct().Count());

    [Theory]
    [InlineData("the default 600 s: from 480 s after the gate started", 600, 480)]
    [InlineData("a timeout shorter than two minutes: from the start", 90, 0)]
    public void A_watched_wait_is_read_from_two_api_graces_before_the_timeout(string name, int timeoutSeconds, int fromSeconds)
    {
        var from = HealthRules.ReadsWatchedWaitFrom(Context, new HealthOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds) });

        Assert.True(from <= Gate.AddSeconds(fromSeconds) && (fromSeconds == 0 || from == Gate.AddSeconds(fromSeconds)), name);
    }
}
