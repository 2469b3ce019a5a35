namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>The service-account token every request of the daemon carries, replaced in place when it is rotated.</summary>
/// <remarks>Shared by the node client, the slot client and the rotator, and read as each request is built, so a new
/// token takes effect on the next request without a restart or a new connection.</remarks>
public sealed class BearerTokenSource
{
    private volatile ServiceAccountToken _current;

    /// <summary>Starts with <paramref name="initial"/>.</summary>
    public BearerTokenSource(ServiceAccountToken initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
    }

    /// <summary>The token in use.</summary>
    public ServiceAccountToken Current => _current;

    /// <summary>Puts <paramref name="token"/> in use for every later request.</summary>
    public void Replace(ServiceAccountToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        _current = token;
    }
}
