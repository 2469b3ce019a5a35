namespace NodeDaemon.Hosting;

/// <summary>An adapter of the agent could not be built: the message names what was being built and why, in one line.</summary>
public sealed class AgentStartException : Exception
{
    /// <summary>An empty failure (for serializers and analyzers).</summary>
    public AgentStartException()
    {
    }

    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public AgentStartException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public AgentStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
