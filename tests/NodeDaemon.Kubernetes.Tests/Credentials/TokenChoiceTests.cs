using NodeDaemon.Kubernetes.Credentials;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>Which token a start uses: the valid one issued last, the stored one only when it is the same identity.</summary>
public sealed class TokenChoiceTests
{
    // bootstrap issued / stored issued (minutes after the epoch; null: none stored), both live 60 min; now; stored node uid; expected
    [Theory]
    [InlineData(0, null, 10, "uid-a", "bootstrap")]
    [InlineData(0, 50, 70, "uid-a", "stored")]          // the bootstrap expired, the rotated one lives on
    [InlineData(0, 50, 20, "uid-a", "stored")]          // both valid: the newer
    [InlineData(40, 30, 45, "uid-a", "bootstrap")]      // the admin installed a newer bootstrap token
    [InlineData(0, 50, 70, "uid-other", "none")]        // stored for a Node object that was deleted: not ours
    [InlineData(0, 50, 20, "uid-other", "bootstrap")]
    [InlineData(0, 30, 95, "uid-a", "none")]            // off past both expiries
    [InlineData(0, null, 60, "uid-a", "none")]
    public void UsesTheValidTokenIssuedLast(int bootstrapAt, int? storedAt, int nowAt, string storedUid, string expected)
    {
        var life = TimeSpan.FromHours(1);
        var bootstrap = TestTokens.Token(TestTokens.Epoch.AddMinutes(bootstrapAt), life, serial: "bootstrap");
        var stored = storedAt is { } at ? TestTokens.Token(TestTokens.Epoch.AddMinutes(at), life, nodeUid: storedUid, serial: "stored") : null;

        var chosen = TokenChoice.Choose(TestTokens.Epoch.AddMinutes(nowAt), bootstrap, stored);

        Assert.Equal(expected, chosen is null ? "none" : ReferenceEquals(chosen, bootstrap) ? "bootstrap" : "stored");
    }
}
