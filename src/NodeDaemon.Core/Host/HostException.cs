namespace NodeDaemon.Core.Host;

/// <summary>The host refused or failed an operation; the message is the host's own, verbatim.</summary>
public sealed class HostException : Exception
{
    /// <summary>Creates an error with no message.</summary>
    public HostException()
    {
    }

    /// <summary>Creates an error with the host's message.</summary>
    public HostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an error with the host's message and its cause.</summary>
    public HostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an error of a known kind.</summary>
    public HostException(HostErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What kind of failure this is, for retry decisions and metrics.</summary>
    public HostErrorKind Kind { get; } = HostErrorKind.Failed;
}
