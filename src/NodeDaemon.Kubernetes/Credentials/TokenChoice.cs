namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>Which token the daemon starts with: the kubeconfig's bootstrap token or the one it rotated and kept.</summary>
public static class TokenChoice
{
    /// <summary>Of the tokens still valid at <paramref name="now"/>, the one issued last; <paramref name="stored"/> counts
    /// only when it names the same identity as <paramref name="bootstrap"/> (a kubeconfig for another node or service
    /// account, or a Node made again, makes the stored token someone else's). Null when neither is valid.</summary>
    public static ServiceAccountToken? Choose(DateTimeOffset now, ServiceAccountToken bootstrap, ServiceAccountToken? stored)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        var usable = stored is not null && stored.SameIdentity(bootstrap) && now < stored.ExpiresAt ? stored : null;
        var fresh = now < bootstrap.ExpiresAt ? bootstrap : null;
        return (fresh, usable) switch
        {
            ({ } b, { } s) => s.IssuedAt > b.IssuedAt ? s : b,
            ({ } b, null) => b,
            (null, { } s) => s,
            _ => null,
        };
    }
}
