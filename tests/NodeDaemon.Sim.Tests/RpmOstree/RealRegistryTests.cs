using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>The harness's registry against the real tools: what buildah pushed, skopeo reads, and the simulator stages
/// the digest skopeo reads; its failures are the registry's and containers/image's own texts.</summary>
public sealed class RealRegistryTests
{
    private const double PullSeconds = 60;

    [Fact]
    public async Task A_tag_stages_the_digest_skopeo_reads_and_an_index_pin_the_platform_manifest()
    {
        var images = await OciTestImages.GetAsync();
        await using var registry = await OciRegistry.StartWithTestImagesAsync();
        using var dir = new TempDirectory("nodedaemon-realreg-");
        var auth = registry.WriteAuthFile(dir.File("auth.json"), valid: true);
        var repo = $"{registry.Host}/{OciTestImages.Repository}";

        var single = await Skopeo.InspectAsync(auth, $"docker://{repo}:{OciTestImages.SingleTag}");
        Assert.Equal(0, single.ExitCode);
        Assert.Equal(images.SingleDigest, (string?)JsonNode.Parse(single.StandardOutput)!["Digest"]);
        var index = await Skopeo.InspectAsync(auth, $"docker://{repo}:{OciTestImages.IndexTag}");
        Assert.Equal(images.IndexDigest, (string?)JsonNode.Parse(index.StandardOutput)!["Digest"]);
        var raw = JsonNode.Parse(await Skopeo.RawAsync(auth, $"docker://{repo}@{images.IndexDigest}"))!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", (string?)raw["mediaType"]);
        Assert.Equal(images.Platforms["amd64"], (string?)raw["manifests"]!.AsArray()
            .Single(m => (string?)m!["platform"]!["architecture"] == "amd64")!["digest"]);
        Assert.NotEqual(images.Platforms["amd64"], images.Platforms["arm64"]);

        await using var world = await SimWorld.StartAsync(registry: Section(registry, auth));
        var byTag = $"ostree-unverified-registry:{repo}:{OciTestImages.SingleTag}";
        Assert.Equal((true, ""), await PullAsync(world, byTag));
        var staged = StateFile.Staged(world.Sim.StatePath)!;
        Assert.Equal(images.SingleDigest, (string?)staged["container-image-reference-digest"]);
        Assert.Equal(byTag, (string?)staged["container-image-reference"]);
        Assert.Equal(OciTestImages.SingleVersion, (string?)staged["version"]);

        var byIndex = $"ostree-unverified-registry:{repo}@{images.IndexDigest}";
        Assert.Equal((true, ""), await PullAsync(world, byIndex));
        staged = StateFile.Staged(world.Sim.StatePath)!;
        Assert.Equal(images.Platforms["amd64"], (string?)staged["container-image-reference-digest"]);
        Assert.Equal(byIndex, (string?)staged["container-image-reference"]);
        Assert.Equal(OciTestImages.IndexVersion, (string?)staged["version"]);
    }

    [Fact]
    public async Task Failures_are_the_registry_texts_under_ostree_ext_contexts()
    {
        await using var registry = await OciRegistry.StartWithTestImagesAsync();
        using var dir = new TempDirectory("nodedaemon-realreg-");
        var good = registry.WriteAuthFile(dir.File("auth.json"), valid: true);
        var bad = registry.WriteAuthFile(dir.File("bad-auth.json"), valid: false);
        var repo = $"{registry.Host}/{OciTestImages.Repository}";
        var unknown = "sha256:" + new string('e', 64);

        await using (var world = await SimWorld.StartAsync(registry: Section(registry, good)))
        {
            var (success, message) = await PullAsync(world, $"ostree-unverified-registry:{repo}@{unknown}");
            Assert.False(success);
            Assert.StartsWith($"Fetching manifest: failed to invoke method OpenImage: reading manifest {unknown} in {repo}: manifest unknown",
                message, StringComparison.Ordinal);
            Assert.NotEqual(unknown, (string?)StateFile.Staged(world.Sim.StatePath)?["container-image-reference-digest"]);

            registry.Stop();
            (success, message) = await PullAsync(world, $"ostree-unverified-registry:{repo}:{OciTestImages.SingleTag}");
            Assert.False(success);
            Assert.StartsWith("Fetching manifest: failed to invoke method OpenImage: ", message, StringComparison.Ordinal);
            Assert.Contains($"dial tcp {registry.Host}: connect: connection refused", message, StringComparison.Ordinal);
        }

        await registry.StartAsync();
        await using (var world = await SimWorld.StartAsync(registry: Section(registry, bad)))
        {
            var (success, message) = await PullAsync(world, $"ostree-unverified-registry:{repo}:{OciTestImages.SingleTag}");
            Assert.False(success);
            Assert.Equal($"Fetching manifest: failed to invoke method OpenImage: reading manifest {OciTestImages.SingleTag} in {repo}: " +
                "unauthorized: authentication required", message);
        }
    }

    private static string Section(OciRegistry registry, string authFile) =>
        new JsonObject { ["real-registry"] = registry.SimulatorSection(authFile) }.ToJsonString();

    private static async Task<(bool Success, string Message)> PullAsync(SimWorld world, string refspec)
    {
        using var caller = await BusClient.ConnectAsync(world.Bus.Address);
        using var transaction = await PeerTransaction.ConnectAsync(await caller.RebaseAsync(refspec));
        Assert.True(await transaction.StartAsync());
        return await transaction.FinishedAsync(PullSeconds);
    }
}
