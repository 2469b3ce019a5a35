namespace NodeDaemon.Sim.Scenarios;

/// <summary>A scenario file that cannot be run, with what is wrong in it.</summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates one.</summary>
    public ScenarioException(string message)
        : base(message)
    {
    }

    /// <summary>Creates one.</summary>
    public ScenarioException()
    {
    }

    /// <summary>Creates one.</summary>
    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
