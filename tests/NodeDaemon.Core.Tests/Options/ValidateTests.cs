using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

public class ValidateTests
{
    private static readonly NodeDaemonOptions _defaults = new();

    // Each case changes one thing; null means it must stay valid, else the exact single message expected.
    private static readonly Dictionary<string, (NodeDaemonOptions Options, string? Error)> _cases = new()
    {
        ["defaults"] = (_defaults, null),
        ["nodeName valid"] = (_defaults with { NodeName = "worker-1.example.com" }, null),
        ["nodeName upper case"] = (_defaults with { NodeName = "Worker1" },
            "nodeName must be empty or a node name (a DNS-1123 subdomain): it must be lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit, got \"Worker1\""),
        ["nodeName too long"] = (_defaults with { NodeName = new string('a', 254) },
            $"nodeName must be empty or a node name (a DNS-1123 subdomain): it must be at most 253 characters, not 254, got \"{new string('a', 100)}\"... (254 characters)"),
        ["annotationPrefix custom"] = (_defaults with { AnnotationPrefix = "updates.example.com/" }, null),
        ["annotationPrefix no slash"] = (_defaults with { AnnotationPrefix = "nodedaemon.io" },
            "annotationPrefix must be an annotation key prefix like \"nodedaemon.io/\": it must end with '/', got \"nodedaemon.io\""),
        ["annotationPrefix bad domain"] = (_defaults with { AnnotationPrefix = "-bad.io/" },
            "annotationPrefix must be an annotation key prefix like \"nodedaemon.io/\": it must be a DNS subdomain followed by '/'; the part before the '/' must be lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit, got \"-bad.io/\""),
        ["annotationPrefix only slash"] = (_defaults with { AnnotationPrefix = "/" },
            "annotationPrefix must be an annotation key prefix like \"nodedaemon.io/\": it must be a DNS subdomain followed by '/'; the part before the '/' must not be empty, got \"/\""),
        ["protocol undefined"] = (_defaults with { Protocol = (AnnotationProtocol)7 },
            "protocol must be \"nodeDaemon\" or \"machineConfigOperator\", got 7"),
        ["signaturePolicy undefined"] = (_defaults with { SignaturePolicy = (SignaturePolicy)9 },
            "signaturePolicy must be \"unverified\" or \"verified\", got 9"),
        ["backend bootc"] = (_defaults with { Backend = HostBackend.Bootc }, null),
        ["backend undefined"] = (_defaults with { Backend = (HostBackend)5 },
            "backend must be \"auto\", \"rpmOstree\" or \"bootc\", got 5"),
        ["authFile empty"] = (_defaults with { AuthFile = "" }, null),
        ["authFile relative"] = (_defaults with { AuthFile = "auth.json" },
            "authFile must be an absolute path (starting with '/'), got \"auth.json\""),
        ["stateDirectory empty"] = (_defaults with { StateDirectory = "" },
            "stateDirectory must be an absolute path, got an empty value"),
        ["stateDirectory relative"] = (_defaults with { StateDirectory = "var/lib/nodedaemon" },
            "stateDirectory must be an absolute path (starting with '/'), got \"var/lib/nodedaemon\""),
        ["kubeconfig absolute"] = (_defaults with { Kubeconfig = "/etc/kubernetes/kubelet.conf" }, null),
        ["kubeconfig relative"] = (_defaults with { Kubeconfig = "~/.kube/config" },
            "kubeconfig must be an absolute path (starting with '/'), got \"~/.kube/config\""),
        ["progressInterval 0"] = (_defaults with { ProgressInterval = TimeSpan.Zero }, null),
        ["progressInterval 2h"] = (_defaults with { ProgressInterval = TimeSpan.FromHours(2) },
            "progressIntervalSeconds must be between 0 and 3600 seconds, got 7200"),
        ["staging.maxAttempts 1"] = (_defaults with { Staging = new() { MaxAttempts = 1 } }, null),
        ["staging.maxAttempts 100"] = (_defaults with { Staging = new() { MaxAttempts = 100 } }, null),
        ["staging.maxAttempts 0"] = (_defaults with { Staging = new() { MaxAttempts = 0 } },
            "staging.maxAttempts must be between 1 and 100, got 0"),
        ["staging.maxAttempts 101"] = (_defaults with { Staging = new() { MaxAttempts = 101 } },
            "staging.maxAttempts must be between 1 and 100, got 101"),
        ["staging.retryDelay 1s"] = (_defaults with { Staging = new() { RetryDelay = TimeSpan.FromSeconds(1) } }, null),
        ["staging.retryDelay 0.5s"] = (_defaults with { Staging = new() { RetryDelay = TimeSpan.FromSeconds(0.5) } },
            "staging.retryDelaySeconds must be between 1 and 3600 seconds, got 0.5"),
        ["staging.retryDelay 2h"] = (_defaults with { Staging = new() { RetryDelay = TimeSpan.FromHours(2) } },
            "staging.retryDelaySeconds must be between 1 and 3600 seconds, got 7200"),
        ["staging.transactionTimeout 1min"] = (_defaults with { Staging = new() { TransactionTimeout = TimeSpan.FromMinutes(1) } }, null),
        ["staging.transactionTimeout 24h"] = (_defaults with { Staging = new() { TransactionTimeout = TimeSpan.FromHours(24) } }, null),
        ["staging.transactionTimeout 59s"] = (_defaults with { Staging = new() { TransactionTimeout = TimeSpan.FromSeconds(59) } },
            "staging.transactionTimeoutSeconds must be between 60 and 86400 seconds, got 59"),
        ["staging.transactionTimeout 25h"] = (_defaults with { Staging = new() { TransactionTimeout = TimeSpan.FromHours(25) } },
            "staging.transactionTimeoutSeconds must be between 60 and 86400 seconds, got 90000"),
        ["staging.busyWait 0"] = (_defaults with { Staging = new() { BusyWait = TimeSpan.Zero } }, null),
        ["staging.busyWait negative"] = (_defaults with { Staging = new() { BusyWait = TimeSpan.FromSeconds(-1) } },
            "staging.busyWaitSeconds must be between 0 and 86400 seconds, got -1"),
        ["reboot.maxAttempts 10"] = (_defaults with { Reboot = new() { MaxAttempts = 10 } }, null),
        ["reboot.maxAttempts 0"] = (_defaults with { Reboot = new() { MaxAttempts = 0 } },
            "reboot.maxAttempts must be between 1 and 10, got 0"),
        ["reboot.maxAttempts 11"] = (_defaults with { Reboot = new() { MaxAttempts = 11 } },
            "reboot.maxAttempts must be between 1 and 10, got 11"),
        ["reboot.inhibitorWaitSeconds 0"] = (_defaults with { Reboot = new() { InhibitorWait = TimeSpan.Zero } }, null),
        ["reboot.inhibitorWaitSeconds 2 days"] = (_defaults with { Reboot = new() { InhibitorWait = TimeSpan.FromDays(2) } },
            "reboot.inhibitorWaitSeconds must be between 0 and 86400 seconds, got 172800"),
        ["reboot.inhibitorRetrySeconds 0"] = (_defaults with { Reboot = new() { InhibitorRetry = TimeSpan.Zero } },
            "reboot.inhibitorRetrySeconds must be between 1 and 600 seconds, got 0"),
        ["drain.timeout 10s"] = (_defaults with { Drain = new() { Timeout = TimeSpan.FromSeconds(10) } }, null),
        ["drain.timeout 9s"] = (_defaults with { Drain = new() { Timeout = TimeSpan.FromSeconds(9) } },
            "drain.timeoutSeconds must be between 10 and 86400 seconds, got 9"),
        ["drain.onTimeout undefined"] = (_defaults with { Drain = new() { OnTimeout = (DrainTimeoutPolicy)5 } },
            "drain.onTimeout must be \"uncordon\" or \"stayCordoned\", got 5"),
        ["drain.concurrency 64"] = (_defaults with { Drain = new() { Concurrency = 64 } }, null),
        ["drain.concurrency 0"] = (_defaults with { Drain = new() { Concurrency = 0 } },
            "drain.concurrency must be between 1 and 64, got 0"),
        ["drain.concurrency 65"] = (_defaults with { Drain = new() { Concurrency = 65 } },
            "drain.concurrency must be between 1 and 64, got 65"),
        ["drain.blockingPodSelector bad"] = (_defaults with { Drain = new() { BlockingPodSelector = "app=a b" } },
            "drain.blockingPodSelector has an invalid requirement \"app=a b\": value \"a b\" must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit"),
        ["drain.podGracePeriod 0"] = (_defaults with { Drain = new() { PodGracePeriod = TimeSpan.Zero } }, null),
        ["drain.podGracePeriod 30"] = (_defaults with { Drain = new() { PodGracePeriod = TimeSpan.FromSeconds(30) } }, null),
        ["drain.podGracePeriod negative"] = (_defaults with { Drain = new() { PodGracePeriod = TimeSpan.FromSeconds(-1) } },
            "drain.podGracePeriodSeconds must be null or a whole number of seconds between 0 and 86400, got -1"),
        ["drain.podGracePeriod fractional"] = (_defaults with { Drain = new() { PodGracePeriod = TimeSpan.FromSeconds(1.5) } },
            "drain.podGracePeriodSeconds must be null or a whole number of seconds between 0 and 86400, got 1.5"),
        ["fleet.poolLabel plain"] = (_defaults with { Fleet = new() { PoolLabel = "pool" } }, null),
        ["fleet.poolLabel two slashes"] = (_defaults with { Fleet = new() { PoolLabel = "a.io/b/c" } },
            "fleet.poolLabel must be a label key like \"node-role.kubernetes.io/worker\": it must contain at most one '/', got \"a.io/b/c\""),
        ["fleet.poolLabel empty"] = (_defaults with { Fleet = new() { PoolLabel = "" } },
            "fleet.poolLabel must be a label key like \"node-role.kubernetes.io/worker\": it must have a name (after the '/', if any), got \"\""),
        ["fleet.leaseNamespace dots"] = (_defaults with { Fleet = new() { LeaseNamespace = "node.daemon" } },
            "fleet.leaseNamespace must be a namespace name (a DNS-1123 label): it must be lower-case letters, digits and '-', starting and ending with a letter or digit, got \"node.daemon\""),
        ["fleet.leaseNamespace 64 chars"] = (_defaults with { Fleet = new() { LeaseNamespace = new string('n', 64) } },
            $"fleet.leaseNamespace must be a namespace name (a DNS-1123 label): it must be at most 63 characters, not 64, got \"{new string('n', 64)}\""),
        ["fleet.haltAfterFailures 0"] = (_defaults with { Fleet = new() { HaltAfterFailures = 0 } },
            "fleet.haltAfterFailures must be at least 1, got 0"),
        ["fleet.maxUnavailable 0%"] = (_defaults with { Fleet = new() { MaxUnavailable = "0%" } },
            "fleet.maxUnavailable must be a positive integer like \"2\" or a percentage from 1% to 100% like \"10%\", got \"0%\""),
        ["drain null"] = (_defaults with { Drain = null! }, "drain must not be null"),
        ["metrics.listen off"] = (_defaults with { Metrics = new() { Listen = "" } }, null),
        ["metrics.listen loopback"] = (_defaults with { Metrics = new() { Listen = "127.0.0.1:9464" } }, null),
        ["metrics.listen any address"] = (_defaults with { Metrics = new() { Listen = "0.0.0.0:9464" } },
            "metrics.listen must be a loopback address (127.0.0.0/8 or [::1]): the endpoint has no authentication and shows the node's image and reboots; scrape it on the node or through a unix socket, got \"0.0.0.0:9464\""),
        ["health.timeout 0 (off)"] = (_defaults with { Health = new() { Timeout = TimeSpan.Zero } }, null),
        ["health.timeout 60"] = (_defaults with { Health = new() { Timeout = TimeSpan.FromMinutes(1) } }, null),
        ["health.timeout 59"] = (_defaults with { Health = new() { Timeout = TimeSpan.FromSeconds(59) } },
            "health.timeoutSeconds must be 0 (gate off) or between 60 and 86400 seconds, got 59"),
        ["health.timeout negative"] = (_defaults with { Health = new() { Timeout = TimeSpan.FromSeconds(-1) } },
            "health.timeoutSeconds must be 0 (gate off) or between 60 and 86400 seconds, got -1"),
        ["health.timeout 25h"] = (_defaults with { Health = new() { Timeout = TimeSpan.FromHours(25) } },
            "health.timeoutSeconds must be 0 (gate off) or between 60 and 86400 seconds, got 90000"),
        ["health.criticalPodSelectors valid"] = (_defaults with { Health = new() { CriticalPodSelectors = ["k8s-app=cilium", "app in (a,b),tier"] } }, null),
        ["health.criticalPodSelectors empty entry"] = (_defaults with { Health = new() { CriticalPodSelectors = ["app=a", " "] } },
            "health.criticalPodSelectors[1] is empty, which would select every pod on the node; remove it or name a label, got \" \""),
        ["health.criticalPodSelectors bad"] = (_defaults with { Health = new() { CriticalPodSelectors = ["app=a b"] } },
            "health.criticalPodSelectors[0] has an invalid requirement \"app=a b\": value \"a b\" must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit, got \"app=a b\""),
        ["health.criticalPodSelectors null"] = (_defaults with { Health = new() { CriticalPodSelectors = null! } },
            "health.criticalPodSelectors must not be null"),
        ["health.criticalPodSelectors 33"] = (_defaults with { Health = new() { CriticalPodSelectors = [.. Enumerable.Repeat("a=b", 33)] } },
            "health.criticalPodSelectors must have at most 32 entries, got 33"),
        ["health.criticalPodGrace 0"] = (_defaults with { Health = new() { CriticalPodGrace = TimeSpan.Zero } }, null),
        ["health.criticalPodGrace negative"] = (_defaults with { Health = new() { CriticalPodGrace = TimeSpan.FromSeconds(-5) } },
            "health.criticalPodGraceSeconds must be between 0 and 86400 seconds, got -5"),
        ["health.units valid"] = (_defaults with { Health = new() { Units = ["crio.service", "getty@tty1.service", "boot-complete.target", "dev-disk-by\\x2dlabel-root.device"] } }, null),
        ["health.units template"] = (_defaults with { Health = new() { Units = ["getty@.service"] } },
            "health.units[0] must not be a template (\"name@.type\"): a template is never loaded itself; name an instance, got \"getty@.service\""),
        ["health.units no type"] = (_defaults with { Health = new() { Units = ["crio"] } },
            "health.units[0] must end in a unit type like \".service\" or \".target\", got \"crio\""),
        ["health.units bad type"] = (_defaults with { Health = new() { Units = ["crio.servce"] } },
            "health.units[0] must end in a unit type like \".service\" or \".target\", got \"crio.servce\""),
        ["health.units space"] = (_defaults with { Health = new() { Units = ["my agent.service"] } },
            "health.units[0] must be letters, digits and \":-_.\\\" before the type (and an '@' before an instance), got \"my agent.service\""),
        ["health.units too long"] = (_defaults with { Health = new() { Units = [new string('a', 248) + ".service"] } },
            $"health.units[0] must be at most 255 characters, not 256, got \"{new string('a', 100)}\"... (256 characters)"),
        ["health.kubeletHealthz upstream default"] = (_defaults with { Health = new() { KubeletHealthz = "http://127.0.0.1:10248/healthz" } }, null),
        ["health.kubeletHealthz no scheme"] = (_defaults with { Health = new() { KubeletHealthz = "127.0.0.1:10248/healthz" } },
            "health.kubeletHealthz must be empty or an http URL like \"http://127.0.0.1:10248/healthz\", got \"127.0.0.1:10248/healthz\""),
        ["health.kubeletHealthz file"] = (_defaults with { Health = new() { KubeletHealthz = "file:///etc/passwd" } },
            "health.kubeletHealthz must be empty or an http URL like \"http://127.0.0.1:10248/healthz\", got \"file:///etc/passwd\""),
        ["health.kubeletHealthz userinfo"] = (_defaults with { Health = new() { KubeletHealthz = "http://u:secret@127.0.0.1:10248/healthz" } },
            "health.kubeletHealthz must not carry user information, got a URL with \"http://...@\""),
        ["health.onApiSilence undefined"] = (_defaults with { Health = new() { OnApiSilence = (ApiSilencePolicy)4 } },
            "health.onApiSilence must be \"wait\" or \"local\", got 4"),
        ["health null"] = (_defaults with { Health = null! }, "health must not be null"),
        ["metrics null"] = (_defaults with { Metrics = null! }, "metrics must not be null"),
    };

    public static TheoryData<string> CaseNames => [.. _cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Rule(string name)
    {
        var (options, error) = _cases[name];

        var problems = options.Validate();

        if (error is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal([error], problems);
        }
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("25", true)]
    [InlineData("1%", true)]
    [InlineData("100%", true)]
    [InlineData("0", false)]
    [InlineData("101%", false)]
    [InlineData("-1", false)]
    [InlineData("+2", false)]
    [InlineData(" 2", false)]
    [InlineData("10 %", false)]
    [InlineData("%", false)]
    [InlineData("", false)]
    [InlineData("1.5", false)]
    [InlineData("ten", false)]
    [InlineData("99999999999", false)]
    public void MaxUnavailable(string value, bool valid)
    {
        var problems = (_defaults with { Fleet = new() { MaxUnavailable = value } }).Validate();

        Assert.Equal(valid, problems.Count == 0);
        if (!valid)
        {
            Assert.StartsWith("fleet.maxUnavailable must be a positive integer", Assert.Single(problems));
        }
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("app=db", true)]
    [InlineData("app==db", true)]
    [InlineData("app!=db", true)]
    [InlineData("app=", true)]
    [InlineData("backup.example.com/running", true)]
    [InlineData("!maintenance", true)]
    [InlineData("app=db, tier!=cache ,critical", true)]
    [InlineData("env in (prod, staging)", true)]
    [InlineData("env notin (dev),app=db", true)]
    [InlineData("app=db,", false)]
    [InlineData(",app=db", false)]
    [InlineData("app=db=x", false)]
    [InlineData("=db", false)]
    [InlineData("a b=c", false)]
    [InlineData("app=-db", false)]
    [InlineData("env in ()", false)]
    [InlineData("env in (a", false)]
    [InlineData("env in a)", false)]
    [InlineData("env within (a)", false)]
    [InlineData("in (a)", false)]
    [InlineData("env in (a) x", false)]
    [InlineData("Foo.IO/app=x", false)]
    public void BlockingPodSelector(string selector, bool valid)
    {
        var problems = (_defaults with { Drain = new() { BlockingPodSelector = selector } }).Validate();

        Assert.Equal(valid, problems.Count == 0);
        Assert.All(problems, p => Assert.StartsWith("drain.blockingPodSelector has ", p));
    }

    [Fact]
    public void Selector_reports_each_bad_requirement()
    {
        var problems = (_defaults with { Drain = new() { BlockingPodSelector = "a=b,=x,ok,c=d=e" } }).Validate();

        Assert.Equal(2, problems.Count);
        Assert.Contains("\"=x\"", problems[0], StringComparison.Ordinal);
        Assert.Contains("\"c=d=e\"", problems[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("env in (a", "drain.blockingPodSelector has a '(' without a matching ')' in \"env in (a\"")]
    [InlineData("env in a)", "drain.blockingPodSelector has a ')' without a matching '(' in \"env in a)\"")]
    [InlineData("env in ((a))", "drain.blockingPodSelector has nested parentheses in \"env in ((a))\"")]
    [InlineData("env in ()", "drain.blockingPodSelector has an invalid requirement \"env in ()\": 'in' needs at least one value")]
    [InlineData("a=b,,c", "drain.blockingPodSelector has an empty requirement (a stray ',')")]
    [InlineData("!Bad Key", "drain.blockingPodSelector has an invalid requirement \"!Bad Key\": key \"Bad Key\" must have a name of letters, digits, '-', '_' and '.', starting and ending with a letter or digit")]
    public void Selector_messages(string selector, string expected) =>
        Assert.Equal([expected], (_defaults with { Drain = new() { BlockingPodSelector = selector } }).Validate());

    [Theory]
    [InlineData("node-role.kubernetes.io/worker", true)]
    [InlineData("kubernetes.io/os", true)]
    [InlineData("Pool_Name.v2", true)]
    [InlineData("example.com/", false)]
    [InlineData("Example.com/pool", false)]
    [InlineData("pool-", false)]
    public void PoolLabel(string label, bool valid) =>
        Assert.Equal(valid, (_defaults with { Fleet = new() { PoolLabel = label } }).Validate().Count == 0);

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = _defaults with
        {
            StateDirectory = "",
            Staging = new() { MaxAttempts = 0, BusyWait = TimeSpan.FromDays(2) },
            Reboot = new() { MaxAttempts = 0 },
            Drain = new() { Concurrency = 0, Timeout = TimeSpan.Zero },
            Fleet = new() { LeaseNamespace = "", HaltAfterFailures = 0 },
        };

        var problems = options.Validate();

        Assert.Equal(
            [
                "stateDirectory", "staging.maxAttempts", "staging.busyWaitSeconds", "reboot.maxAttempts",
                "drain.timeoutSeconds", "drain.concurrency", "fleet.leaseNamespace", "fleet.haltAfterFailures",
            ],
            problems.Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]));
    }

    [Fact]
    public void Messages_stay_on_one_line()
    {
        var problems = (_defaults with { NodeName = "a\nb", AuthFile = "x\ty" }).Validate();

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
        Assert.Contains("\"a\\nb\"", problems[0], StringComparison.Ordinal);
    }
}
