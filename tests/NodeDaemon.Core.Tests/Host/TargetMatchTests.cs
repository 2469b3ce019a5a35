using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Tests.Host;

/// <summary>The one rule for "this deployment is the desired image", as a table.</summary>
public sealed class TargetMatchTests
{
    private const string Repo = "quay.io/fedora/fedora-coreos";
    private static readonly string s_index = "sha256:" + new string('1', 64);
    private static readonly string s_platform = "sha256:" + new string('2', 64);
    private static readonly string s_other = "sha256:" + new string('3', 64);

    /// <summary>A deployment rpm-ostree (or bootc) lists: the refspec verbatim and the digest it recorded.</summary>
    private static HostDeployment Deployment(string? pullspec, string? recorded, string scheme = "ostree-unverified-registry:") =>
        new(pullspec is null ? null : scheme + pullspec, recorded is null ? null : Digest.Parse(recorded), "c0ffee");

    /// <summary>One row: what was asked for, what the host shows, and how (whether) it matches.</summary>
    public sealed record Row(string Name, string Wanted, HostDeployment? Deployment, TargetMatchKind Expected)
    {
        public override string ToString() => Name;
    }

    private static readonly Row[] s_rows =
    [
        new("single-arch pin: the recorded digest is the pinned one", $"{Repo}@{s_platform}", Deployment($"{Repo}@{s_platform}", s_platform), TargetMatchKind.Digest),
        new("same digest under another name (a mirror) counts", $"{Repo}@{s_platform}", Deployment($"registry.local:5000/mirror/fcos@{s_platform}", s_platform), TargetMatchKind.Digest),
        new("same digest pulled by a tag counts", $"{Repo}@{s_platform}", Deployment($"{Repo}:stable", s_platform), TargetMatchKind.Digest),
        new("index pin: the refspec asked for, the platform manifest recorded", $"{Repo}@{s_index}", Deployment($"{Repo}@{s_index}", s_platform), TargetMatchKind.PinnedReference),
        new("index pin through a signed refspec: the same image reference", $"{Repo}@{s_index}", Deployment($"docker://{Repo}@{s_index}", s_platform, "ostree-image-signed:"), TargetMatchKind.PinnedReference),
        new("index pin, but another repository pinned by that digest", $"{Repo}@{s_index}", Deployment($"quay.io/other/os@{s_index}", s_platform), TargetMatchKind.None),
        new("index pin, but the deployment pins another digest", $"{Repo}@{s_index}", Deployment($"{Repo}@{s_other}", s_platform), TargetMatchKind.None),
        new("index pin, but the deployment came from a tag", $"{Repo}@{s_index}", Deployment($"{Repo}:stable", s_platform), TargetMatchKind.None),
        new("index pin, no digest recorded (the lookup failed): nothing to finalize by", $"{Repo}@{s_index}", Deployment($"{Repo}@{s_index}", null), TargetMatchKind.None),
        new("tag: the same name and tag, the digest rpm-ostree resolved", $"{Repo}:stable", Deployment($"{Repo}:stable", s_platform), TargetMatchKind.Tag),
        new("tag: another tag", $"{Repo}:stable", Deployment($"{Repo}:next", s_platform), TargetMatchKind.None),
        new("tag: the same name pinned by a digest is not the tag", $"{Repo}:stable", Deployment($"{Repo}@{s_platform}", s_platform), TargetMatchKind.None),
        new("ostree-remote deployment", $"{Repo}@{s_platform}", Deployment(null, null), TargetMatchKind.None),
        new("no deployment", $"{Repo}@{s_platform}", null, TargetMatchKind.None),
    ];

    /// <summary>The rows, by name.</summary>
    public static TheoryData<string> Names() => [.. s_rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches(string name)
    {
        var row = s_rows.Single(r => r.Name == name);
        var wanted = ImageReference.Parse(row.Wanted);

        Assert.Equal(row.Expected, TargetMatch.Of(wanted, row.Deployment));
        Assert.Equal(row.Expected != TargetMatchKind.None, TargetMatch.IsSatisfiedBy(wanted, row.Deployment));
    }
}
