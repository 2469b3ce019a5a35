namespace NodeDaemon.Kubernetes.Api;

/// <summary>Told of every request the node client sends, and how it ended; the daemon counts them for its metrics.</summary>
/// <remarks>Called on the request's own thread, several at once during a drain: implementations must be quick and
/// thread-safe, and must not throw.</remarks>
public interface IApiRequestObserver
{
    /// <summary>A <paramref name="verb"/> request (<c>GET</c>, <c>PATCH</c>, ..., <c>WATCH</c> for a stream) ended with
    /// HTTP <paramref name="statusCode"/>, or with no answer at all (null: refused, reset, timed out).</summary>
    void Completed(string verb, int? statusCode);
}

/// <summary>The observer that ignores everything, for clients without metrics.</summary>
public sealed class NoApiRequestObserver : IApiRequestObserver
{
    /// <summary>The one instance.</summary>
    public static readonly NoApiRequestObserver Instance = new();

    private NoApiRequestObserver()
    {
    }

    /// <inheritdoc />
    public void Completed(string verb, int? statusCode)
    {
    }
}
