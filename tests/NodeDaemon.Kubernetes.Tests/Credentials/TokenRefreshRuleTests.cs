using NodeDaemon.Kubernetes.Credentials;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>The rotation rule as a table: the kubelet token manager's 80%-of-life, 24-hour and clock-leap rules.</summary>
public sealed class TokenRefreshRuleTests
{
    // life in minutes, now in minutes after issue, expected kind, expected "at" in minutes after issue (Fresh only)
    [Theory]
    [InlineData(60, 0, TokenRefreshKind.Fresh, 48)]          // 80% of an hour
    [InlineData(60, 47, TokenRefreshKind.Fresh, 48)]
    [InlineData(60, 48, TokenRefreshKind.Refresh, 0)]        // exactly at 80%
    [InlineData(60, 59, TokenRefreshKind.Refresh, 0)]
    [InlineData(60, 60, TokenRefreshKind.Expired, 0)]        // at exp the server refuses it
    [InlineData(60, 600, TokenRefreshKind.Expired, 0)]       // the node was off past expiry
    [InlineData(10, 8, TokenRefreshKind.Refresh, 0)]         // the shortest life TokenRequest allows
    [InlineData(2880, 0, TokenRefreshKind.Fresh, 1440)]      // a 48 h token: 24 h comes before 80%
    [InlineData(2880, 1440, TokenRefreshKind.Refresh, 0)]
    [InlineData(1800, 1439, TokenRefreshKind.Fresh, 1440)]   // 30 h: 80% is 24 h exactly
    [InlineData(60, -1, TokenRefreshKind.Refresh, 0)]        // the clock reads before iat: it leapt
    public void DecidesLikeTheKubelet(int lifeMinutes, int nowMinutes, TokenRefreshKind kind, int atMinutes)
    {
        var issued = TestTokens.Epoch;
        var now = issued.AddMinutes(nowMinutes);

        var decision = TokenRefreshRule.Decide(now, issued, issued.AddMinutes(lifeMinutes));

        Assert.Equal(kind, decision.Kind);
        Assert.Equal(kind == TokenRefreshKind.Fresh ? issued.AddMinutes(atMinutes) : now, decision.At);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(5, 160)]
    [InlineData(6, 300)]     // capped at 5 minutes
    [InlineData(1000, 300)]
    public void RetriesBackOffDeterministically(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TokenRefreshRule.RetryDelay(failures));

    [Theory]
    [InlineData(3600, 3600)]
    [InlineData(86400, 86400)]
    [InlineData(60, 600)]                    // below kube-apiserver's 10-minute floor: the floor
    [InlineData(5000000000, 4294967296)]     // above its 2^32 s ceiling: the ceiling
    public void AsksForTheSameLifeWithinWhatTheServerAccepts(long lifeSeconds, long expected) =>
        Assert.Equal(expected, TokenRefreshRule.RequestedSeconds(TestTokens.Epoch, TestTokens.Epoch.AddSeconds(lifeSeconds)));
}
