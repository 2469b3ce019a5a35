using NodeDaemon.Sim.Harness;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.Tests.EndToEnd;

/// <summary>The real daemon process converges a simulated node on a new image, across a simulated reboot.</summary>
public sealed class ConvergenceTests
{
    private static readonly string s_digest = "sha256:" + new string('7', 64);
    private static readonly string s_image = "quay.io/fedora/fedora-coreos@" + s_digest;

    [Fact]
    public async Task A_desired_image_is_staged_drained_rebooted_into_verified_and_uncordoned()
    {
        using var notify = new NotifyCollector();
        await using var node = await SimulatedNode.StartAsync();
        node.Annotate("nodedaemon.io/desired-image", s_image);
        node.StartDaemon(notify.SocketPath);

        // The simulator records the request in its state before it exits; the state is what a test can rely on.
        await node.WaitUntilAsync(() => node.RebootRequested, TimeSpan.FromSeconds(120), "the reboot request");
        Assert.Equal("Rebooting", node.Annotation("nodedaemon.io/phase"));
        Assert.Equal("true", node.Node["spec"]?["unschedulable"]?.ToString().ToLowerInvariant());
        Assert.NotNull(node.Annotation("nodedaemon.io/cordoned-by"));

        await node.RebootAsync(notify.SocketPath);
        await node.WaitUntilAsync(() => node.Annotation("nodedaemon.io/state") == "Done" && node.Annotation("nodedaemon.io/phase") == "Idle",
            TimeSpan.FromSeconds(120), "Done after the reboot");

        var booted = JsonNode.Parse(await File.ReadAllTextAsync(node.Host.StatePath))!["deployments"]!.AsArray()
            .Single(d => (bool?)d!["booted"] == true)!;
        Assert.Equal(s_digest, (string?)booted["container-image-reference-digest"]);
        Assert.Equal(1, node.Reboots);
        Assert.Null(node.Annotation("nodedaemon.io/cordoned-by"));
        Assert.NotEqual("true", node.Node["spec"]?["unschedulable"]?.ToString().ToLowerInvariant());
        Assert.Equal("quay.io/fedora/fedora-coreos@" + s_digest, node.Annotation("nodedaemon.io/current-image"));
        var reasons = node.Api.Store.List(ResourceTypes.Events).Select(e => (string?)e["reason"]).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Staging", "Staged", "Draining", "Rebooting", "Verified" }, reasons);
        Assert.Contains("READY=1", notify.Messages);
        Assert.Contains(notify.Messages, m => m.StartsWith("STATUS=Idle: up to date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_desired_image_is_reported_Degraded_and_nothing_is_touched()
    {
        using var notify = new NotifyCollector();
        await using var node = await SimulatedNode.StartAsync();
        node.Annotate("nodedaemon.io/desired-image", "quay.io/fedora/fedora-coreos:stable; reboot");
        node.StartDaemon(notify.SocketPath);

        await node.WaitUntilAsync(() => node.Annotation("nodedaemon.io/state") == "Degraded", TimeSpan.FromSeconds(60), "Degraded");

        Assert.Contains("shell metacharacter", node.Annotation("nodedaemon.io/reason"), StringComparison.Ordinal);
        Assert.Null(node.Host.ExitCode);
        Assert.Null(node.Annotation("nodedaemon.io/cordoned-by"));
    }
}
