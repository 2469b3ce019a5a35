namespace NodeDaemon.Core.Images;

/// <summary>An image reference, digest or ostree refspec that does not follow its grammar.</summary>
public sealed class ImageReferenceException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ImageReferenceException()
        : base("invalid image reference")
    {
    }

    /// <summary>Creates the exception with a message that names the problem.</summary>
    /// <param name="message">What is wrong, already safe to log (no raw control characters).</param>
    public ImageReferenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong, already safe to log (no raw control characters).</param>
    /// <param name="innerException">The underlying error.</param>
    public ImageReferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
