using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Tests.Images;

/// <summary>containers-policy.json(5) read as containers/image reads it for docker:// pulls: the most specific scope wins.</summary>
public sealed class ContainersPolicyTests
{
    private const string Image = "quay.io/example/os@sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private const string Accept = """[{"type":"insecureAcceptAnything"}]""";
    private const string Signed = """[{"type":"sigstoreSigned","keyPath":"/etc/pki/os.pub"}]""";
    private const string Gpg = """[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/pki/os.gpg"}]""";
    private const string Reject = """[{"type":"reject"}]""";

    [Fact]
    public void ScopesRunFromTheFullReferenceToTheHostsWildcards() =>
        Assert.Equal(
            [
                "registry.example.com:5000/team/os@sha256:" + new string('2', 64), "registry.example.com:5000/team/os", "registry.example.com:5000/team",
                "registry.example.com:5000", "*.example.com", "*.com",
            ],
            ContainersPolicy.Scopes(ImageReference.Parse("registry.example.com:5000/team/os@sha256:" + new string('2', 64))));

    public static TheoryData<string, string, PolicyRequirementKind, string> Rows() => new()
    {
        // Fedora's shipped default: accept anything, everywhere.
        { X("""{"default":ACCEPT,"transports":{"docker-daemon":{"":ACCEPT}}}"""), Image, PolicyRequirementKind.AcceptsAnything, "default" },
        { X("""{"default":REJECT}"""), Image, PolicyRequirementKind.Rejects, "default" },
        // The repository's own scope beats the transport default and the global default.
        { X("""{"default":ACCEPT,"transports":{"docker":{"":ACCEPT,"quay.io/example/os":SIGNED}}}"""), Image, PolicyRequirementKind.Verifies, "transports.docker[\"quay.io/example/os\"]" },
        // ... and a more specific insecure scope beats a signed namespace: only the most specific match applies.
        { X("""{"default":REJECT,"transports":{"docker":{"quay.io/example":GPG,"quay.io/example/os":ACCEPT}}}"""), Image, PolicyRequirementKind.AcceptsAnything, "transports.docker[\"quay.io/example/os\"]" },
        { X("""{"default":REJECT,"transports":{"docker":{"quay.io":SIGNED}}}"""), Image, PolicyRequirementKind.Verifies, "transports.docker[\"quay.io\"]" },
        { X("""{"default":REJECT,"transports":{"docker":{"*.io":ACCEPT}}}"""), Image, PolicyRequirementKind.AcceptsAnything, "transports.docker[\"*.io\"]" },
        { X("""{"default":SIGNED,"transports":{"docker":{"":ACCEPT}}}"""), Image, PolicyRequirementKind.AcceptsAnything, "transports.docker[\"\"]" },
        // Another registry's scope does not apply; nor does another transport's.
        { X("""{"default":SIGNED,"transports":{"docker":{"registry.example.com":ACCEPT},"atomic":{"":ACCEPT}}}"""), Image, PolicyRequirementKind.Verifies, "default" },
        { X("""{"default":REJECT,"transports":{"docker":{"quay.io/example/os@sha256:DIGEST":ACCEPT,"quay.io/example/os":SIGNED}}}"""), Image, PolicyRequirementKind.AcceptsAnything, $"transports.docker[\"{Image}\"]" },
        // insecureAcceptAnything beside a signature requirement: all requirements apply, so a signature is still checked.
        { """{"default":[{"type":"insecureAcceptAnything"},{"type":"sigstoreSigned","keyPath":"/k"}]}""", Image, PolicyRequirementKind.Verifies, "default" },
        { """{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k"},{"type":"reject"}]}""", Image, PolicyRequirementKind.Rejects, "default" },
    };

    // The rows' JSON with the requirement lists spelled once.
    private static string X(string policy) => policy.Replace("ACCEPT", Accept, StringComparison.Ordinal).Replace("SIGNED", Signed, StringComparison.Ordinal)
        .Replace("GPG", Gpg, StringComparison.Ordinal).Replace("REJECT", Reject, StringComparison.Ordinal).Replace("DIGEST", new string('2', 64), StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Rows))]
    public void TheMostSpecificScopeDecides(string policy, string image, PolicyRequirementKind kind, string scope) =>
        Assert.Equal(new PolicyRequirement(kind, scope), ContainersPolicy.Parse(policy).Evaluate(ImageReference.Parse(image)));

    [Theory]
    [InlineData("", "not JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{}", "default is not a non-empty list")]
    [InlineData("""{"default":[]}""", "default is not a non-empty list")]
    [InlineData("""{"default":[{"type":"acceptEverything"}]}""", "unknown type acceptEverything")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io":{}}}}""", "transports.docker[\"quay.io\"] is not a non-empty list")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":[]}""", "transports is not an object")]
    public void AFileContainersImageWouldRefuseIsRefusedSayingWhy(string policy, string said)
    {
        var error = Assert.Throws<FormatException>(() => ContainersPolicy.Parse(policy));

        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }
}
