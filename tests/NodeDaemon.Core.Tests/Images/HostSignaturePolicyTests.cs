using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Images;

/// <summary>Reading the host's policy.json (never a crash), and what "verified" then refuses.</summary>
public sealed class HostSignaturePolicyTests : IDisposable
{
    private static readonly ImageReference s_image = ImageReference.Parse("quay.io/example/os@sha256:" + new string('2', 64));
    private readonly string _directory = Directory.CreateTempSubdirectory("nodedaemon-policy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("missing", "no such file")]
    [InlineData("directory", "")]
    [InlineData("empty", "not JSON")]
    [InlineData("garbage", "not JSON")]
    public void AFileThatCannotBeUsedIsAProblemNotACrash(string kind, string said)
    {
        var path = Path.Combine(_directory, "policy.json");
        switch (kind)
        {
            case "directory": Directory.CreateDirectory(path); break;
            case "empty": File.WriteAllText(path, ""); break;
            case "garbage": File.WriteAllText(path, "{\"default\":"); break;
        }

        var loaded = HostSignaturePolicy.Load(path);

        Assert.Null(loaded.Policy);
        Assert.Contains(said, loaded.Problem, StringComparison.Ordinal);
        Assert.NotEmpty(loaded.Problem);
        Assert.StartsWith($"signaturePolicy is \"verified\" but {path} cannot be used", loaded.RefusalFor(s_image), StringComparison.Ordinal);
    }

    [Fact]
    public void AHostThatAcceptsTheImageUnverifiedIsRefusedNamingTheScope()
    {
        var loaded = Write("""{"default":[{"type":"insecureAcceptAnything"}]}""");

        var refusal = loaded.RefusalFor(s_image);

        Assert.NotNull(refusal);
        Assert.Contains("accepts quay.io/example/os with no signature check (default is insecureAcceptAnything)", refusal, StringComparison.Ordinal);
        Assert.NotNull(loaded.FallbackWarning());
    }

    [Fact]
    public void AHostThatChecksTheSignatureIsNotRefused()
    {
        var loaded = Write("""{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/example":[{"type":"sigstoreSigned","keyPath":"/etc/pki/os.pub"}]}}}""");

        Assert.Null(loaded.RefusalFor(s_image));
        Assert.Null(loaded.FallbackWarning());
    }

    [Fact]
    public void ValidateConfigWarnsWhenUnnamedScopesAreAcceptedUnverified()
    {
        var options = new NodeDaemonOptions
        {
            SignaturePolicy = SignaturePolicy.Verified,
            HostSignaturePolicy = Write("""{"default":[{"type":"reject"}],"transports":{"docker":{"":[{"type":"insecureAcceptAnything"}],"quay.io":[{"type":"sigstoreSigned","keyPath":"/k"}]}}}"""),
        };

        var warning = Assert.Single(options.Warnings());

        Assert.Contains("transports.docker[\"\"] is insecureAcceptAnything", warning, StringComparison.Ordinal);
    }

    private HostSignaturePolicy Write(string json)
    {
        var path = Path.Combine(_directory, "policy.json");
        File.WriteAllText(path, json);
        var loaded = HostSignaturePolicy.Load(path);
        Assert.Equal("", loaded.Problem);
        return loaded;
    }
}
