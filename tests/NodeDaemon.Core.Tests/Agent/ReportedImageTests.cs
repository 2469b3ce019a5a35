using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>What <c>current-image</c> says, as a table: the pin itself when the booted deployment is it, else what was recorded.</summary>
public sealed class ReportedImageTests
{
    private const string Repo = "quay.io/fedora/fedora-coreos";
    private static readonly string s_index = "sha256:" + new string('1', 64);
    private static readonly string s_platform = "sha256:" + new string('2', 64);
    private static readonly string s_old = "sha256:" + new string('4', 64);

    private static HostDeployment Booted(string pullspec, string? recorded) =>
        new("ostree-unverified-registry:" + pullspec, recorded is null ? null : Digest.Parse(recorded), "c0ffee");

    /// <summary>One row: the desired annotation (allowTags on), the booted deployment, and what is reported.</summary>
    public sealed record Row(string Name, string? Desired, HostDeployment? Booted, string? Expected)
    {
        public override string ToString() => Name;
    }

    private static readonly Row[] s_rows =
    [
        new("single-arch pin booted: the pin, as machine-config-operator compares it", $"{Repo}@{s_platform}", Booted($"{Repo}@{s_platform}", s_platform), $"{Repo}@{s_platform}"),
        new("index pin booted (platform manifest recorded): the pin, not the platform digest", $"{Repo}@{s_index}", Booted($"{Repo}@{s_index}", s_platform), $"{Repo}@{s_index}"),
        new("pin booted from a mirror: the pin asked for", $"{Repo}@{s_platform}", Booted($"mirror.local/fcos@{s_platform}", s_platform), $"{Repo}@{s_platform}"),
        new("the old image still booted: what it recorded", $"{Repo}@{s_index}", Booted($"{Repo}@{s_old}", s_old), $"{Repo}@{s_old}"),
        new("a tag booted: the digest it resolved to", $"{Repo}:stable", Booted($"{Repo}:stable", s_platform), $"{Repo}@{s_platform}"),
        new("nothing desired: what is booted", null, Booted($"{Repo}@{s_old}", s_old), $"{Repo}@{s_old}"),
        new("a malformed desired image: what is booted", "not an image!", Booted($"{Repo}@{s_old}", s_old), $"{Repo}@{s_old}"),
        new("no digest recorded (ostree remote): nothing said", $"{Repo}@{s_platform}", Booted($"{Repo}@{s_platform}", null), null),
        new("no booted deployment: nothing said", $"{Repo}@{s_platform}", null, null),
    ];

    /// <summary>The rows, by name.</summary>
    public static TheoryData<string> Names() => [.. s_rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Reports(string name)
    {
        var row = s_rows.Single(r => r.Name == name);
        var target = DesiredTarget.TryCreate(row.Desired ?? "", new NodeDaemonOptions { AllowTags = true }, out _);

        Assert.Equal(row.Expected, ReportedImage.Of(row.Desired, target, row.Booted));
    }
}
