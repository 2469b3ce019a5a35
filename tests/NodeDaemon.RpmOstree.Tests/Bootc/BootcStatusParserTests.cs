using System.Text.Json.Nodes;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using NodeDaemon.RpmOstree.Bootc;

namespace NodeDaemon.RpmOstree.Tests.Bootc;

/// <summary>bootc status documents, shaped like containers/bootc's fixtures, read into the seam's terms.</summary>
public sealed class BootcStatusParserTests
{
    // containers/bootc lib/src/fixtures/spec-staged-booted.yaml as JSON, with a rollback and v1's downloadOnly added.
    private const string StagedBooted = """
        {"apiVersion":"org.containers.bootc/v1","kind":"BootcHost","metadata":{"name":"host"},
         "spec":{"image":{"image":"quay.io/example/someimage:latest","transport":"registry","signature":"insecure"},"bootOrder":"default"},
         "status":{
          "staged":{"image":{"image":{"image":"quay.io/example/someimage:latest","transport":"registry","signature":"insecure"},
            "version":"nightly","timestamp":"2023-10-14T19:22:15.42Z",
            "imageDigest":"sha256:16dc2b6256b4ff0d2ec18d2dbfb06d117904010c8cf9732cdb022818cf7a7566"},
            "cachedUpdate":null,"incompatible":false,"pinned":false,"downloadOnly":true,"store":"ostreeContainer",
            "ostree":{"checksum":"3c6dad657109522e0b2e49bf44b5420f16f0b438b5b9357e5132211cfbad135d","deploySerial":0}},
          "booted":{"image":{"image":{"image":"quay.io/example/someimage:latest","transport":"registry","signature":"containerPolicy"},
            "version":"nightly","timestamp":"2023-09-30T19:22:16Z",
            "imageDigest":"sha256:736b359467c9437c1ac915acaae952aad854e07eb4a16a94999a48af08c83c34"},
            "cachedUpdate":null,"incompatible":false,"pinned":true,"downloadOnly":false,"store":"ostreeContainer",
            "ostree":{"checksum":"26836632adf6228d64ef07a26fd3efaf177104efd1f341a2cf7909a3e4e2c72c","deploySerial":0}},
          "rollback":{"image":{"image":{"image":"/var/lib/images/os","transport":"oci","signature":"insecure"},
            "imageDigest":"sha256:1111111111111111111111111111111111111111111111111111111111111111"},
            "incompatible":false,"pinned":false,"ostree":{"checksum":"abc","deploySerial":1}},
          "rollbackQueued":false,"type":"bootcHost"}}
        """;

    // containers/bootc lib/src/fixtures/spec-v1-null.json, verbatim.
    private const string AllNull = """
        {"apiVersion":"org.containers.bootc/v1","kind":"BootcHost","metadata":{"name":"host"},"spec":{"image":null,"bootOrder":"default"},"status":{"staged":null,"booted":null,"rollback":null,"rollbackQueued":false,"type":null}}
        """;

    [Fact]
    public void A_queued_rollback_is_the_deployment_that_boots_next()
    {
        // bootc status.rs: rollbackQueued when the rollback deployment sorts before the booted one (after `bootc rollback`).
        var queued = BootcStatusParser.Parse(StagedBooted.Replace("\"rollbackQueued\":false", "\"rollbackQueued\":true", StringComparison.Ordinal));
        var notQueued = BootcStatusParser.Parse(StagedBooted);

        Assert.Equal("abc", queued.Host.Default?.Checksum);
        Assert.Null(notQueued.Host.Default);
    }

    [Fact]
    public void Staged_booted_and_rollback_entries_are_read()
    {
        var status = BootcStatusParser.Parse(StagedBooted);

        var staged = status.Host.Staged!;
        Assert.Equal("ostree-unverified-registry:quay.io/example/someimage:latest", staged.ContainerImageReference);
        Assert.Equal(Digest.Parse("sha256:16dc2b6256b4ff0d2ec18d2dbfb06d117904010c8cf9732cdb022818cf7a7566"), staged.ImageDigest);
        Assert.Equal("3c6dad657109522e0b2e49bf44b5420f16f0b438b5b9357e5132211cfbad135d", staged.Checksum);
        Assert.Equal("nightly", staged.Version);
        Assert.Equal(new DateTimeOffset(2023, 10, 14, 19, 22, 15, 420, TimeSpan.Zero), staged.Timestamp);
        Assert.True(staged.Staged);
        Assert.False(staged.Booted);
        Assert.True(status.StagedDownloadOnly);
        Assert.True(status.DownloadOnlySupported);

        var booted = status.Host.Booted;
        Assert.Equal("ostree-image-signed:docker://quay.io/example/someimage:latest", booted.ContainerImageReference);
        Assert.True(booted.Booted);
        Assert.True(booted.Pinned);
        Assert.Equal(new DateTimeOffset(2023, 9, 30, 19, 22, 16, TimeSpan.Zero), booted.Timestamp);

        var rollback = status.Host.Rollback!;
        Assert.Equal("ostree-unverified-image:oci:/var/lib/images/os", rollback.ContainerImageReference);
        Assert.Null(rollback.Version);
        Assert.False(rollback.Booted || rollback.Staged);
        Assert.Null(status.Host.ActiveTransaction);
        Assert.Empty(status.Host.Warnings);
    }

    [Fact]
    public void The_all_null_document_has_no_booted_deployment_and_is_refused()
    {
        var error = Assert.Throws<HostException>(() => BootcStatusParser.Parse(AllNull));

        Assert.Contains("no booted deployment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Staged_null_is_none_and_an_old_bootc_has_no_download_only()
    {
        var old = StagedBooted.Replace("\"downloadOnly\":true,", "", StringComparison.Ordinal)
            .Replace("\"downloadOnly\":false,", "", StringComparison.Ordinal);

        var status = BootcStatusParser.Parse(old);

        Assert.Null(status.StagedDownloadOnly);
        Assert.False(status.DownloadOnlySupported);
        var unstaged = JsonNode.Parse(StagedBooted)!;
        unstaged["status"]!["staged"] = null;
        Assert.Null(BootcStatusParser.Parse(unstaged.ToJsonString()).Host.Staged);
    }

    [Fact]
    public void An_ostree_remote_signature_becomes_a_remote_registry_refspec()
    {
        var status = BootcStatusParser.Parse(StagedBooted.Replace("\"signature\":\"containerPolicy\"", "\"signature\":{\"ostreeRemote\":\"fedora\"}", StringComparison.Ordinal));

        Assert.Equal("ostree-remote-registry:fedora:quay.io/example/someimage:latest", status.Host.Booted.ContainerImageReference);
    }

    [Fact]
    public void Unknown_keys_and_odd_values_are_tolerated_and_reported()
    {
        var odd = StagedBooted
            .Replace("\"cachedUpdate\":null,\"incompatible\":false,\"pinned\":true", "\"fancyNewField\":1,\"incompatible\":false,\"pinned\":\"yes\"", StringComparison.Ordinal)
            .Replace("\"imageDigest\":\"sha256:736b", "\"imageDigest\":\"md5:736b", StringComparison.Ordinal)
            .Replace("\"timestamp\":\"2023-09-30T19:22:16Z\"", "\"timestamp\":\"last tuesday\"", StringComparison.Ordinal);

        var booted = BootcStatusParser.Parse(odd);

        Assert.Null(booted.Host.Booted.ImageDigest);
        Assert.Null(booted.Host.Booted.Timestamp);
        Assert.False(booted.Host.Booted.Pinned);
        Assert.Collection(booted.Host.Warnings,
            w => Assert.Equal("bootc status: booted has an unknown key fancyNewField", w),
            w => Assert.Equal("bootc status: booted.image.timestamp is not an RFC 3339 time: last tuesday", w),
            w => Assert.StartsWith("bootc status: booted.image.imageDigest is not a digest: ", w, StringComparison.Ordinal),
            w => Assert.Equal("bootc status: booted.pinned is String, expected a boolean", w));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Staged image: none")]
    [InlineData("[]")]
    public void Output_that_is_not_a_status_document_is_an_error(string output)
    {
        Assert.Throws<HostException>(() => BootcStatusParser.Parse(output));
    }
}
