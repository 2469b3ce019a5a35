namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>Issues a new token like the current one: the seam between the rotator's schedule and the TokenRequest API.</summary>
public interface ITokenIssuer
{
    /// <summary>Asks for a token of the same service account, bound to the same Node, living <paramref name="expirationSeconds"/>.</summary>
    /// <exception cref="Core.Cluster.ClusterException">The API server refused or could not be reached; the message says why.</exception>
    Task<ServiceAccountToken> IssueAsync(ServiceAccountToken current, long expirationSeconds, CancellationToken cancellationToken);
}
