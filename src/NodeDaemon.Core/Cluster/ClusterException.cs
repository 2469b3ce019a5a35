namespace NodeDaemon.Core.Cluster;

/// <summary>The cluster refused a request, or stayed unreachable, after the client's retries.</summary>
public sealed class ClusterException : Exception
{
    /// <summary>Creates an empty exception.</summary>
    public ClusterException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public ClusterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an HTTP status answer.</summary>
    public ClusterException(string message, int statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the last answer; 0 when there was none (connection trouble).</summary>
    public int StatusCode { get; }
}
