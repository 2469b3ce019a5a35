using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Tests.Cli;

/// <summary><c>nodedaemon explain</c> on Node objects and real <c>rpm-ostree status --json</c> captures.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    // The staged container deployment of the fcos-container-status fixture (pulled by tag, resolved to this digest).
    private const string StagedDigest = "sha256:25d3a07d53835c6c738fb4dcba149dc0b64a9bc4ec9c3431750cabd3596ab233";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-explain-");
    private readonly List<string> _written = [];

    private string Node(string? desired, bool unschedulable = false, bool cordonedByUs = false)
    {
        var annotations = new List<string>();
        if (desired is not null)
        {
            annotations.Add($"\"nodedaemon.io/desired-image\": \"{desired}\"");
        }

        if (cordonedByUs)
        {
            annotations.Add("\"nodedaemon.io/cordoned-by\": \"nodedaemon\"");
        }

        // Not in the config directory, where it would be read as a drop-in.
        var path = Path.Combine(_dir.FullName, "..", _dir.Name + "-node.json");
        _written.Add(path);
        var unschedulableJson = unschedulable ? "true" : "false";
        var json = "{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"worker-1\", \"annotations\": {"
            + string.Join(", ", annotations) + "}}, \"spec\": {\"unschedulable\": " + unschedulableJson + "}}";
        File.WriteAllText(path, json);
        return path;
    }

    private CliRunner.Result Explain(string node, string fixture) =>
        CliRunner.Run("explain", "--config-dir", _dir.FullName, "--node", node, "--status", RepositoryPaths.RpmOstreeStatus(fixture));

    [Fact]
    public void A_new_image_on_an_ostree_remote_host_is_staged_first()
    {
        var result = Explain(Node("quay.io/fedora/fedora-coreos@sha256:" + new string('4', 64)), "fcos-with-overrides-status.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state:   Staging (Working)", result.Output, StringComparison.Ordinal);
        Assert.Contains("ostree-unverified-registry:quay.io/fedora/fedora-coreos@sha256:4444", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_staged_digest_is_recognised_under_another_name_and_not_pulled_again()
    {
        var result = Explain(Node("registry.example.com/mirror/fcos@" + StagedDigest), "fcos-container-status.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state:   Draining (Working)", result.Output, StringComparison.Ordinal);
        Assert.Contains("action:  Cordon", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admins_cordon_goes_straight_to_the_drain()
    {
        var result = Explain(Node("quay.io/fedora/fedora-coreos@" + StagedDigest, unschedulable: true), "fcos-container-status.json");

        Assert.Contains("action:  Drain", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_desired_image_is_degraded_with_the_parser_message()
    {
        var result = Explain(Node("quay.io/fedora/fedora-coreos:stable; reboot"), "fcos-container-status.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state:   Degraded (Degraded)", result.Output, StringComparison.Ordinal);
        Assert.Contains("reason:  desired image is invalid: ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void No_desired_image_is_idle()
    {
        var result = Explain(Node(desired: null), "workstation-status.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state:   Idle (Done)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_a_status_document_is_an_error()
    {
        var result = CliRunner.Run("explain", "--config-dir", _dir.FullName, "--node", Node(null), "--status", Node(null));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not an rpm-ostree status document", result.Error, StringComparison.Ordinal);
    }

    private string RawNode(string annotations)
    {
        var path = Path.Combine(_dir.FullName, "..", _dir.Name + "-raw-node.json");
        _written.Add(path);
        File.WriteAllText(path, "{\"kind\": \"Node\", \"metadata\": {\"name\": \"worker-1\", \"annotations\": {" + annotations + "}}}");
        return path;
    }

    [Fact]
    public void The_machine_config_operator_protocol_reads_its_desired_image_key()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "50-protocol.json"), "{\"protocol\": \"machineConfigOperator\"}");
        var node = RawNode("\"machineconfiguration.openshift.io/desiredImage\": \"quay.io/fedora/fedora-coreos@" + StagedDigest + "\"");

        var result = Explain(node, "fcos-container-status.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("action:  Cordon", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("True")]
    [InlineData(" true ")]
    public void Paused_is_read_as_the_daemon_reads_it(string paused)
    {
        var node = RawNode("\"nodedaemon.io/desired-image\": \"quay.io/fedora/fedora-coreos@" + StagedDigest + "\", \"nodedaemon.io/paused\": \"" + paused + "\"");

        var result = Explain(node, "fcos-container-status.json");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("action:  Cordon", result.Output, StringComparison.Ordinal);
        Assert.Contains("paused", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Of_two_booted_deployments_the_first_counts_as_in_run()
    {
        var status = Path.Combine(_dir.FullName, "..", _dir.Name + "-two-booted.json");
        _written.Add(status);
        var digest = "sha256:" + new string('7', 64);
        File.WriteAllText(status, "{\"deployments\": ["
            + "{\"booted\": true, \"checksum\": \"a\", \"container-image-reference\": \"ostree-unverified-registry:quay.io/x/y@" + digest
            + "\", \"container-image-reference-digest\": \"" + digest + "\"},"
            + "{\"booted\": true, \"checksum\": \"b\", \"container-image-reference\": \"ostree-unverified-registry:quay.io/x/y@" + StagedDigest
            + "\", \"container-image-reference-digest\": \"" + StagedDigest + "\"}]}");

        var result = CliRunner.Run("explain", "--config-dir", _dir.FullName, "--node", Node("quay.io/x/y@" + digest), "--status", status);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state:   Idle (Done)", result.Output, StringComparison.Ordinal);
        Assert.Contains("2 deployments are marked booted; the first (a) counts", result.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _dir.Delete(recursive: true);
        _written.ForEach(File.Delete);
    }
}
