using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>Keeps the daemon's token fresh: waits for its rotation time (<see cref="TokenRefreshRule"/>), asks for a
/// new one, keeps it on disk and puts it in use; a failure is logged and retried with backoff while the token is valid.</summary>
/// <remarks>
/// A token loaded at start is scheduled by its own <c>iat</c>/<c>exp</c> (the API server's clock). A token this
/// rotator received is scheduled on the node's clock instead: from the moment it arrived, for its life
/// (<c>exp − iat</c>, a difference, so the same on any clock). A node clock a little behind the server's would
/// otherwise read every new token as issued in the future, which the rule answers with "rotate now", again and again.
/// </remarks>
internal sealed partial class TokenRotator(BearerTokenSource source, ITokenIssuer issuer, TokenStore store, TimeProvider time, ILogger logger)
{
    private DateTimeOffset _start = source.Current.IssuedAt;
    private DateTimeOffset _end = source.Current.ExpiresAt;
    private int _failures;
    private bool _expiredReported;

    /// <summary>When the token in use is next rotated, on the schedule this rotator keeps.</summary>
    public DateTimeOffset RotateAt => TokenRefreshRule.Decide(_start, _start, _end).At;

    /// <summary>Rotates until <paramref name="cancellationToken"/> is cancelled; never throws anything else.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = await TurnAsync(cancellationToken).ConfigureAwait(false);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One look at the token: rotates it when the rule says so, and says how long to wait before the next look.</summary>
    internal async Task<TimeSpan> TurnAsync(CancellationToken cancellationToken)
    {
        var current = source.Current;
        var now = time.GetUtcNow();
        var decision = TokenRefreshRule.Decide(now, _start, _end);
        if (decision.Kind == TokenRefreshKind.Fresh)
        {
            return decision.At - now;
        }

        if (decision.Kind == TokenRefreshKind.Expired && !_expiredReported)
        {
            LogExpired(current.Describe(), _end);
            _expiredReported = true;
        }

        try
        {
            var next = await issuer.IssueAsync(current, TokenRefreshRule.RequestedSeconds(current.IssuedAt, current.ExpiresAt), cancellationToken)
                .ConfigureAwait(false);
            Keep(next);
            source.Replace(next);
            _start = time.GetUtcNow();
            _end = _start + (next.ExpiresAt - next.IssuedAt);
            _failures = 0;
            _expiredReported = false;
            LogRotated(next.Describe(), next.ExpiresAt, RotateAt);
            return TimeSpan.Zero;
        }
        catch (ClusterException e)
        {
            _failures++;
            var wait = TokenRefreshRule.RetryDelay(_failures);
            LogFailed(_failures, e.Message, _end, wait);
            return wait;
        }
    }

    // A token that cannot be kept is still used: only a restart would miss it (and fall back to an older valid one).
    private void Keep(ServiceAccountToken token)
    {
        try
        {
            store.Save(token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogNotKept(store.Path, e.Message);
        }
    }
}
