namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>What to do with the current token now: keep it until a time, ask for a new one, or know that it expired.</summary>
public enum TokenRefreshKind
{
    /// <summary>Keep it; look again at <see cref="TokenRefresh.At"/>.</summary>
    Fresh,

    /// <summary>Ask for a new one now (it is past its rotation time, or the clock went back before it was issued).</summary>
    Refresh,

    /// <summary>It expired: the API server refuses it, and a TokenRequest made with it too.</summary>
    Expired,
}

/// <summary>The rule's answer.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="At">For <see cref="TokenRefreshKind.Fresh"/>, when to rotate; else the time the rule was asked.</param>
public readonly record struct TokenRefresh(TokenRefreshKind Kind, DateTimeOffset At);

/// <summary>When a token is rotated, and how long a failed rotation waits: pure functions of the clock and the token's life.</summary>
/// <remarks>
/// The kubelet's rule for the projected service-account tokens it keeps for pods (kubernetes
/// pkg/kubelet/token/token_manager.go, <c>requiresRefresh</c>): rotate once 80% of the life has passed, or 24 hours
/// after issue if that comes first, or at once when the clock reads earlier than the issue time (a clock that leapt).
/// The kubelet adds up to 10 s of random jitter; here the time is exact, because one daemon rotates one token and the
/// spread across a fleet already comes from each node's own bootstrap time.
/// </remarks>
public static class TokenRefreshRule
{
    /// <summary>The share of a token's life after which it is rotated.</summary>
    public const double RotateAtFraction = 0.8;

    /// <summary>The longest a token is kept, whatever its life.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The shortest life a TokenRequest may ask for (kube-apiserver's validation refuses less than 10 minutes).</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The longest life a TokenRequest may ask for (2^32 s, the same validation's upper bound).</summary>
    public const long MaxLifetimeSeconds = 1L << 32;

    /// <summary>The first wait after a failed rotation; it doubles per failure up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between failed rotations.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>What to do at <paramref name="now"/> with a token issued at <paramref name="issuedAt"/> that expires at <paramref name="expiresAt"/>.</summary>
    public static TokenRefresh Decide(DateTimeOffset now, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        if (now >= expiresAt)
        {
            return new TokenRefresh(TokenRefreshKind.Expired, now);
        }

        if (now < issuedAt)
        {
            return new TokenRefresh(TokenRefreshKind.Refresh, now);
        }

        var byLife = issuedAt + (expiresAt - issuedAt) * RotateAtFraction;
        var byAge = issuedAt + MaxAge;
        var at = byLife < byAge ? byLife : byAge;
        return now >= at ? new TokenRefresh(TokenRefreshKind.Refresh, now) : new TokenRefresh(TokenRefreshKind.Fresh, at);
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failed rotation in a row (1-based): 10 s, 20 s, 40 s ... at most 5 min.</summary>
    public static TimeSpan RetryDelay(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var delay = FirstRetryDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>The <c>expirationSeconds</c> to ask for: the life of the token being replaced (what the installer
    /// chose), within what kube-apiserver accepts (pkg/apis/authentication/validation: 10 minutes to 2^32 s).</summary>
    public static long RequestedSeconds(DateTimeOffset issuedAt, DateTimeOffset expiresAt) =>
        Math.Clamp((long)Math.Round((expiresAt - issuedAt).TotalSeconds), (long)MinLifetime.TotalSeconds, MaxLifetimeSeconds);
}
