using NodeDaemon.Core.Agent;

namespace NodeDaemon.Agent;

/// <summary>Told when each agent turn starts and ends (the idle trim uses it to act only between turns of an idle agent).</summary>
public interface ITurnListener
{
    /// <summary>A turn is about to start.</summary>
    void TurnStarted();

    /// <summary>A turn ended (decided and acted, or failed); <paramref name="state"/> is the agent's state after it.</summary>
    void TurnEnded(AgentState state);
}

/// <summary>The listener that hears nothing: the default of <see cref="AgentLoop.Turns"/>.</summary>
public sealed class NoTurnListener : ITurnListener
{
    /// <summary>The one instance.</summary>
    public static readonly NoTurnListener Instance = new();

    private NoTurnListener()
    {
    }

    /// <inheritdoc />
    public void TurnStarted()
    {
    }

    /// <inheritdoc />
    public void TurnEnded(AgentState state)
    {
    }
}
