using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

public class OptionsLoaderTests
{
    private const string Vendor = "/usr/lib/nodedaemon/config.d/00-vendor.json";
    private const string Admin = "/etc/nodedaemon/config.d/10-drain.json";
    private static readonly Dictionary<string, string> _noEnvironment = [];

    private static OptionsLoadResult Load(params ConfigFile[] files) => OptionsLoader.Load(files, _noEnvironment);

    private static OptionsLoadResult LoadEnvironment(params (string Name, string Value)[] variables) =>
        OptionsLoader.Load([], variables.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void No_files_and_no_environment_give_the_defaults()
    {
        var result = Load();

        Assert.True(result.Succeeded);
        Assert.Equal(new NodeDaemonOptions(), result.Options);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void Every_key_binds_to_its_property()
    {
        var result = Load(new ConfigFile(Admin, """
            {
              "nodeName": "worker-3",
              "annotationPrefix": "updates.example.com/",
              "protocol": "MachineConfigOperator",
              "allowTags": true,
              "allowedImages": ["quay.io/fedora/fedora-coreos", "Registry.Example.com:5000/os/"],
              "signaturePolicy": "verified",
              "backend": "Bootc",
              "authFile": "",
              "stateDirectory": "/var/lib/nd",
              "bootIdFile": "/run/sim/boot_id",
              "kubeconfig": "/etc/kubernetes/kubeconfig",
              "logLevel": "Debug",
              "progressIntervalSeconds": 5,
              // Comments and trailing commas are forgiven in hand-edited drop-ins.
              "staging": { "maxAttempts": 5, "retryDelaySeconds": 2.5, "transactionTimeoutSeconds": 7200, "busyWaitSeconds": 0 },
              "reboot": { "maxAttempts": 3, "requestTimeoutSeconds": 300, "inhibitorWaitSeconds": 0, "inhibitorRetrySeconds": 5 },
              "drain": {
                "timeoutSeconds": 600, "onTimeout": "stayCordoned", "deleteEmptyDirData": true, "evictUnreplicated": true,
                "concurrency": 4, "blockingPodSelector": "backup=running", "podGracePeriodSeconds": 30,
              },
              "fleet": { "enabled": true, "poolLabel": "pool", "maxUnavailable": 2, "maxStaging": "4%", "leaseNamespace": "kube-system", "haltAfterFailures": 3 },
              "maintenance": { "windows": [{ "days": ["Sat"], "start": "22:30", "lengthMinutes": 120 }], "timeZone": "Europe/Berlin" },
              "health": {
                "timeoutSeconds": 900, "criticalPodSelectors": ["k8s-app=cilium", "app in (node-exporter, fluent-bit)"],
                "criticalPodGraceSeconds": 120, "units": ["crio.service", "getty@tty1.service"], "bootComplete": true,
                "kubeletHealthz": "http://127.0.0.1:10248/healthz", "onApiSilence": "Local", "keepCordonAfterRollback": false,
              },
              "metrics": { "listen": "unix:/run/nodedaemon/metrics.sock" }
            }
            """));

        Assert.Empty(result.Errors);
        Assert.Equal(
            new NodeDaemonOptions
            {
                NodeName = "worker-3",
                AnnotationPrefix = "updates.example.com/",
                Protocol = AnnotationProtocol.MachineConfigOperator,
                AllowTags = true,
                SignaturePolicy = SignaturePolicy.Verified,
                Backend = HostBackend.Bootc,
                AuthFile = "",
                StateDirectory = "/var/lib/nd",
                BootIdFile = "/run/sim/boot_id",
                Kubeconfig = "/etc/kubernetes/kubeconfig",
                LogLevel = LogVerbosity.Debug,
                ProgressInterval = TimeSpan.FromSeconds(5),
                Staging = new() { MaxAttempts = 5, RetryDelay = TimeSpan.FromSeconds(2.5), TransactionTimeout = TimeSpan.FromHours(2), BusyWait = TimeSpan.Zero },
                Reboot = new() { MaxAttempts = 3, RequestTimeout = TimeSpan.FromMinutes(5), InhibitorWait = TimeSpan.Zero, InhibitorRetry = TimeSpan.FromSeconds(5) },
                Drain = new()
                {
                    Timeout = TimeSpan.FromMinutes(10), OnTimeout = DrainTimeoutPolicy.StayCordoned, DeleteEmptyDirData = true,
                    EvictUnreplicated = true, Concurrency = 4, BlockingPodSelector = "backup=running", PodGracePeriod = TimeSpan.FromSeconds(30),
                },
                Fleet = new() { Enabled = true, PoolLabel = "pool", MaxUnavailable = "2", MaxStaging = "4%", LeaseNamespace = "kube-system", HaltAfterFailures = 3 },
                Maintenance = new() { Windows = [new() { Days = ["Sat"], Start = "22:30", LengthMinutes = 120 }], TimeZone = "Europe/Berlin" },
                Health = new()
                {
                    Timeout = TimeSpan.FromMinutes(15), CriticalPodSelectors = ["k8s-app=cilium", "app in (node-exporter, fluent-bit)"],
                    CriticalPodGrace = TimeSpan.FromMinutes(2), Units = ["crio.service", "getty@tty1.service"], BootComplete = true,
                    KubeletHealthz = "http://127.0.0.1:10248/healthz", OnApiSilence = ApiSilencePolicy.Local, KeepCordonAfterRollback = false,
                },
                Metrics = new() { Listen = "unix:/run/nodedaemon/metrics.sock" },
            },
            // A record compares lists by reference: the prefixes are compared on their own, below.
            result.Options! with { AllowedImages = [] });
        Assert.Equal(["quay.io/fedora/fedora-coreos", "Registry.Example.com:5000/os/"], result.Options!.AllowedImages.Select(p => p.ToString()));
        Assert.Equal(5000, result.Options.AllowedImages[1].Port);
        Assert.Equal(OptionsLoader.KnownKeys.Order(), Assert.Single(result.Sources).Keys.Order());
    }

    [Fact]
    public void Later_files_override_earlier_ones_key_by_key()
    {
        var result = Load(
            new ConfigFile(Vendor, """{ "drain": { "timeoutSeconds": 300, "concurrency": 2 }, "allowTags": true }"""),
            new ConfigFile(Admin, """{ "drain": { "timeoutSeconds": 900 } }"""));

        Assert.True(result.Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(900), result.Options.Drain.Timeout);
        Assert.Equal(2, result.Options.Drain.Concurrency);
        Assert.True(result.Options.AllowTags);
        Assert.Equal([Vendor, Admin], result.Sources.Select(s => s.Name));
        Assert.Equal(["drain.timeoutSeconds"], result.Sources[1].Keys);
    }

    [Fact]
    public void A_later_null_clears_the_pod_grace_period()
    {
        var result = Load(
            new ConfigFile(Vendor, """{ "drain": { "podGracePeriodSeconds": 60 } }"""),
            new ConfigFile(Admin, """{ "drain": { "podGracePeriodSeconds": null } }"""));

        Assert.True(result.Succeeded);
        Assert.Null(result.Options.Drain.PodGracePeriod);
    }

    [Fact]
    public void An_empty_file_sets_nothing()
    {
        var result = Load(new ConfigFile(Admin, " \n"));

        Assert.True(result.Succeeded);
        Assert.Equal(new NodeDaemonOptions(), result.Options);
        Assert.Empty(Assert.Single(result.Sources).Keys);
    }

    [Fact]
    public void Environment_overrides_files()
    {
        var result = OptionsLoader.Load(
            [new ConfigFile(Admin, """{ "drain": { "timeoutSeconds": 300, "concurrency": 2 } }""")],
            new Dictionary<string, string> { ["NODEDAEMON_DRAIN__TIMEOUT_SECONDS"] = "600", ["PATH"] = "/usr/bin" });

        Assert.True(result.Succeeded);
        Assert.Equal(TimeSpan.FromMinutes(10), result.Options.Drain.Timeout);
        Assert.Equal(2, result.Options.Drain.Concurrency);
        Assert.Equal("NODEDAEMON_DRAIN__TIMEOUT_SECONDS", result.Sources[^1].Name);
        Assert.Equal(["drain.timeoutSeconds"], result.Sources[^1].Keys);
    }

    [Theory]
    [InlineData("NODEDAEMON_ALLOW_TAGS", "true")]
    [InlineData("NODEDAEMON_ALLOWTAGS", "TRUE")]
    [InlineData("nodedaemon_allow_tags", "True")]
    public void Environment_names_ignore_case_and_underscores_within_a_segment(string name, string value)
    {
        var result = LoadEnvironment((name, value));

        Assert.True(result.Succeeded);
        Assert.True(result.Options.AllowTags);
    }

    [Fact]
    public void Environment_values_convert_to_each_type()
    {
        var result = LoadEnvironment(
            ("NODEDAEMON_FLEET__MAX_UNAVAILABLE", "10%"),
            ("NODEDAEMON_STAGING__RETRY_DELAY_SECONDS", "1.5"),
            ("NODEDAEMON_DRAIN__CONCURRENCY", " 16 "),
            ("NODEDAEMON_DRAIN__ON_TIMEOUT", "staycordoned"),
            ("NODEDAEMON_DRAIN__POD_GRACE_PERIOD_SECONDS", "45"),
            ("NODEDAEMON_AUTH_FILE", ""),
            ("NODEDAEMON_PROTOCOL", "machineConfigOperator"));

        Assert.Empty(result.Errors);
        var options = result.Options!;
        Assert.Equal("10%", options.Fleet.MaxUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.Staging.RetryDelay);
        Assert.Equal(16, options.Drain.Concurrency);
        Assert.Equal(DrainTimeoutPolicy.StayCordoned, options.Drain.OnTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), options.Drain.PodGracePeriod);
        Assert.Equal("", options.AuthFile);
        Assert.Equal(AnnotationProtocol.MachineConfigOperator, options.Protocol);
        Assert.Equal(7, result.Sources.Count);
    }

    [Fact]
    public void Allowed_images_from_the_environment_split_on_commas_and_spaces()
    {
        var result = LoadEnvironment(("NODEDAEMON_ALLOWED_IMAGES", "quay.io/a, registry.example.com/os/ localhost:5000"));

        Assert.Empty(result.Errors);
        Assert.Equal(["quay.io/a", "registry.example.com/os/", "localhost:5000"], result.Options!.AllowedImages.Select(p => p.ToString()));
    }

    [Fact]
    public void Health_lists_from_the_environment_are_json_arrays_because_a_selector_holds_commas()
    {
        var result = LoadEnvironment(
            ("NODEDAEMON_HEALTH__CRITICAL_POD_SELECTORS", """["app=cni,tier=node", "k8s-app in (a,b)"]"""),
            ("NODEDAEMON_HEALTH__UNITS", """["crio.service"]"""));

        Assert.Empty(result.Errors);
        Assert.Equal(["app=cni,tier=node", "k8s-app in (a,b)"], result.Options!.Health.CriticalPodSelectors);
        Assert.Equal(["crio.service"], result.Options.Health.Units);
    }

    [Fact]
    public void An_empty_environment_value_clears_a_health_list_a_file_set()
    {
        var result = OptionsLoader.Load(
            [new ConfigFile(Admin, """{ "health": { "units": ["crio.service"] } }""")],
            new Dictionary<string, string> { ["NODEDAEMON_HEALTH__UNITS"] = "" });

        Assert.True(result.Succeeded);
        Assert.Empty(result.Options.Health.Units);
    }

    [Fact]
    public void A_health_list_in_the_environment_that_is_no_json_array_is_an_error()
    {
        var result = LoadEnvironment(("NODEDAEMON_HEALTH__UNITS", "crio.service"));

        Assert.Null(result.Options);
        Assert.Equal(["health.units in environment variable NODEDAEMON_HEALTH__UNITS must be a list of strings like [\"k8s-app=cilium\"], got \"crio.service\""], result.Errors);
    }

    [Fact]
    public void A_bad_allowed_image_in_the_environment_is_an_error()
    {
        var result = LoadEnvironment(("NODEDAEMON_ALLOWED_IMAGES", "quay.io/a,quay.io/../b"));

        Assert.Null(result.Options);
        Assert.StartsWith("allowedImages in environment variable NODEDAEMON_ALLOWED_IMAGES item [1] must be a registry host", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_environment_value_clears_the_pod_grace_period()
    {
        var result = OptionsLoader.Load(
            [new ConfigFile(Admin, """{ "drain": { "podGracePeriodSeconds": 60 } }""")],
            new Dictionary<string, string> { ["NODEDAEMON_DRAIN__POD_GRACE_PERIOD_SECONDS"] = "" });

        Assert.True(result.Succeeded);
        Assert.Null(result.Options.Drain.PodGracePeriod);
    }

    public static TheoryData<string, string> TypeErrors => new()
    {
        { """{ "drain": { "concurrency": "eight" } }""", $"drain.concurrency in {Admin} must be an integer, got \"eight\"" },
        { """{ "drain": { "concurrency": 2.5 } }""", $"drain.concurrency in {Admin} must be an integer, got 2.5" },
        { """{ "drain": { "concurrency": 1e10 } }""", $"drain.concurrency in {Admin} must be an integer between -2147483648 and 2147483647, got 1e10" },
        { """{ "allowTags": "true" }""", $"allowTags in {Admin} must be true or false, got \"true\"" },
        { """{ "nodeName": 5 }""", $"nodeName in {Admin} must be a string, got 5" },
        { """{ "nodeName": null }""", $"nodeName in {Admin} must be a string, got null" },
        { """{ "drain": { "timeoutSeconds": "10m" } }""", $"drain.timeoutSeconds in {Admin} must be a number of seconds, got \"10m\"" },
        { """{ "drain": { "timeoutSeconds": 1e300 } }""", $"drain.timeoutSeconds in {Admin} must be a number of seconds, got 1e300" },
        { """{ "drain": { "podGracePeriodSeconds": [] } }""", $"drain.podGracePeriodSeconds in {Admin} must be a number of seconds or null, got an array" },
        { """{ "fleet": { "maxUnavailable": 1.5 } }""", $"fleet.maxUnavailable in {Admin} must be an integer or a percentage string like \"10%\", got 1.5" },
        { """{ "fleet": { "enabled": {} } }""", $"fleet.enabled in {Admin} must be true or false, got an object" },
        { """{ "protocol": "mco" }""", $"protocol in {Admin} must be one of \"nodeDaemon\", \"machineConfigOperator\", got \"mco\"" },
        { """{ "drain": { "onTimeout": "reboot" } }""", $"drain.onTimeout in {Admin} must be one of \"uncordon\", \"stayCordoned\", got \"reboot\"" },
        { """{ "signaturePolicy": true }""", $"signaturePolicy in {Admin} must be one of \"unverified\", \"verified\", got true" },
        { """{ "drain": 5 }""", $"drain in {Admin} must be an object, got 5" },
        { """{ "allowedImages": "quay.io/x" }""", $"allowedImages in {Admin} must be a list of image repository prefixes like [\"quay.io/fedora/fedora-coreos\"], got \"quay.io/x\"" },
        { """{ "allowedImages": ["quay.io/x", 5] }""", $"allowedImages in {Admin} item [1] must be a string, got 5" },
        { """{ "health": { "units": "crio.service" } }""", $"health.units in {Admin} must be a list of strings like [\"k8s-app=cilium\"], got \"crio.service\"" },
        { """{ "health": { "criticalPodSelectors": ["app=x", 5] } }""", $"health.criticalPodSelectors in {Admin} item [1] must be a string, got 5" },
        { """{ "health": { "onApiSilence": "rollback" } }""", $"health.onApiSilence in {Admin} must be one of \"wait\", \"local\", got \"rollback\"" },
        { """{ "allowedImages": ["fedora/x"] }""", $"allowedImages in {Admin} item [0] must start with a registry host like \"quay.io\" (with a '.' or a port, or localhost), got \"fedora/x\"" },
    };

    [Theory]
    [MemberData(nameof(TypeErrors))]
    public void Wrong_types_name_the_key_the_file_and_the_value(string json, string expected)
    {
        var result = Load(new ConfigFile(Admin, json));

        Assert.Null(result.Options);
        Assert.Equal([expected], result.Errors);
    }

    public static TheoryData<string, string> UnknownKeys => new()
    {
        { """{ "drain": { "concurency": 8 } }""", $"unknown key \"drain.concurency\" in {Admin}; did you mean \"concurrency\"?" },
        { """{ "drain": { "Concurrency": 8 } }""", $"unknown key \"drain.Concurrency\" in {Admin}; did you mean \"concurrency\"?" },
        { """{ "drain": { "timeout": 8 } }""", $"unknown key \"drain.timeout\" in {Admin}; did you mean \"timeoutSeconds\"?" },
        { """{ "alowTags": true }""", $"unknown key \"alowTags\" in {Admin}; did you mean \"allowTags\"?" },
        { """{ "drains": {} }""", $"unknown key \"drains\" in {Admin}; did you mean \"drain\"?" },
        { """{ "concurrency": 8 }""", $"unknown key \"concurrency\" in {Admin}; did you mean \"drain.concurrency\"?" },
        { """{ "fleet": { "maxAttempts": 8 } }""", $"unknown key \"fleet.maxAttempts\" in {Admin}; did you mean \"staging.maxAttempts\" or \"reboot.maxAttempts\"?" },
        { """{ "colour": "blue" }""", $"unknown key \"colour\" in {Admin}" },
    };

    [Theory]
    [MemberData(nameof(UnknownKeys))]
    public void Unknown_keys_are_named_with_the_closest_known_one(string json, string expected)
    {
        var result = Load(new ConfigFile(Admin, json));

        Assert.Equal([expected], result.Errors);
    }

    [Fact]
    public void Three_mistakes_give_three_messages()
    {
        var result = Load(new ConfigFile(Admin, """
            {
              "drain": { "concurrency": "eight", "timeoutSecs": 60 },
              "protocol": "kured"
            }
            """));

        Assert.Null(result.Options);
        Assert.Equal(3, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.StartsWith("drain.concurrency in ", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("unknown key \"drain.timeoutSecs\"", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("protocol in ", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_in_several_files_and_the_environment_are_all_reported()
    {
        var result = OptionsLoader.Load(
            [new ConfigFile(Vendor, "{ \"drain\": { \"concurrency\": 0 } }"), new ConfigFile(Admin, "[1]")],
            new Dictionary<string, string> { ["NODEDAEMON_REBOOT__MAX_ATTEMPTS"] = "many" });

        Assert.Equal(
            [
                $"{Admin}: the top level must be a JSON object, got an array",
                "reboot.maxAttempts in environment variable NODEDAEMON_REBOOT__MAX_ATTEMPTS must be an integer, got \"many\"",
                $"drain.concurrency must be between 1 and 64, got 0 (set in {Vendor})",
            ],
            result.Errors);
    }

    [Fact]
    public void A_syntax_error_names_the_file_line_and_byte()
    {
        var result = Load(new ConfigFile(Admin, "{\n  \"drain\": {\n    \"concurrency\": 8,\n    oops\n  }\n}"));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith($"{Admin}: invalid JSON at line 4, byte 5: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_is_an_error()
    {
        var result = Load(new ConfigFile(Admin, """{ "allowTags": true, "allowTags": false }"""));

        Assert.Equal([$"\"allowTags\" in {Admin} is set twice; keep one"], result.Errors);
    }

    [Fact]
    public void Validation_names_where_the_bad_value_came_from()
    {
        var result = OptionsLoader.Load(
            [new ConfigFile(Admin, """{ "drain": { "timeoutSeconds": 5 } }""")],
            new Dictionary<string, string> { ["NODEDAEMON_FLEET__LEASE_NAMESPACE"] = "Bad" });

        Assert.Equal(2, result.Errors.Count);
        Assert.Equal($"drain.timeoutSeconds must be between 10 and 86400 seconds, got 5 (set in {Admin})", result.Errors[0]);
        Assert.EndsWith("(set by NODEDAEMON_FLEET__LEASE_NAMESPACE)", result.Errors[1], StringComparison.Ordinal);
    }

    public static TheoryData<string, string> EnvironmentErrors => new()
    {
        { "NODEDAEMON_DRAIN__CONCURENCY", "unknown environment variable NODEDAEMON_DRAIN__CONCURENCY; did you mean NODEDAEMON_DRAIN__CONCURRENCY?" },
        { "NODEDAEMON_DRAIN_TIMEOUT_SECONDS", "unknown environment variable NODEDAEMON_DRAIN_TIMEOUT_SECONDS; did you mean NODEDAEMON_DRAIN__TIMEOUT_SECONDS?" },
        { "NODEDAEMON_DRAIN", "environment variable NODEDAEMON_DRAIN names the section \"drain\", not a setting; set one of its keys, e.g. NODEDAEMON_DRAIN__TIMEOUT_SECONDS" },
        { "NODEDAEMON_WHATEVER", "unknown environment variable NODEDAEMON_WHATEVER" },
    };

    [Theory]
    [MemberData(nameof(EnvironmentErrors))]
    public void Unknown_environment_variables_are_errors(string name, string expected)
    {
        var result = LoadEnvironment((name, "1"));

        Assert.Equal([expected], result.Errors);
    }

    [Fact]
    public void Two_variables_for_one_key_are_an_error()
    {
        var result = LoadEnvironment(("NODEDAEMON_ALLOW_TAGS", "true"), ("NODEDAEMON_ALLOWTAGS", "false"));

        Assert.Equal(["NODEDAEMON_ALLOWTAGS and NODEDAEMON_ALLOW_TAGS both set allowTags; keep one"], result.Errors);
    }

    [Fact]
    public void Bad_environment_values_list_what_is_allowed()
    {
        var result = LoadEnvironment(("NODEDAEMON_SIGNATURE_POLICY", "strict"), ("NODEDAEMON_FLEET__ENABLED", "yes"));

        Assert.Equal(
            [
                "fleet.enabled in environment variable NODEDAEMON_FLEET__ENABLED must be true or false, got \"yes\"",
                "signaturePolicy in environment variable NODEDAEMON_SIGNATURE_POLICY must be one of \"unverified\", \"verified\", got \"strict\"",
            ],
            result.Errors);
    }

    [Fact]
    public void Long_values_are_never_echoed_whole()
    {
        var secret = new string('s', 10_000);
        var result = OptionsLoader.Load(
            [new ConfigFile(Admin, $$"""{ "drain": { "concurrency": "{{secret}}" }, "{{secret}}": 1 }""")],
            new Dictionary<string, string> { ["NODEDAEMON_REBOOT__MAX_ATTEMPTS"] = secret, ["NODEDAEMON_NODE_NAME"] = secret });

        Assert.Equal(4, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.True(e.Length < 400, e));
        Assert.All(result.Errors, e => Assert.Contains("(10000 characters)", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_variable_names_follow_the_json_keys()
    {
        Assert.Equal("NODEDAEMON_ALLOW_TAGS", OptionsLoader.EnvironmentVariableFor("allowTags"));
        Assert.Equal("NODEDAEMON_DRAIN__POD_GRACE_PERIOD_SECONDS", OptionsLoader.EnvironmentVariableFor("drain.podGracePeriodSeconds"));
        Assert.Throws<ArgumentException>(() => OptionsLoader.EnvironmentVariableFor("drain"));
    }

    [Fact]
    public void Every_known_key_can_be_set_from_the_environment()
    {
        foreach (var key in OptionsLoader.KnownKeys)
        {
            var result = LoadEnvironment((OptionsLoader.EnvironmentVariableFor(key), "x"));

            Assert.DoesNotContain(result.Errors, e => e.StartsWith("unknown", StringComparison.Ordinal));
            Assert.Contains(result.Errors.Concat(result.Sources.SelectMany(s => s.Keys)), e => e.StartsWith(key, StringComparison.Ordinal));
        }
    }
}
