using System.Globalization;
using NodeDaemon.Systemd;

namespace NodeDaemon.Metrics;

/// <summary>What <c>/healthz</c> says: healthy while the agent loop's heartbeat is fresh by the watchdog's own limit.</summary>
public sealed class HealthCheck(AgentHeartbeat heartbeat, WatchdogSettings watchdog)
{
    /// <summary>Whether the loop makes progress; when not, <paramref name="reason"/> says for how long it has not.</summary>
    public bool IsHealthy(out string reason)
    {
        var limit = watchdog.StallLimit;
        if (heartbeat.IsFresh(limit, out var since))
        {
            reason = "ok";
            return true;
        }

        reason = string.Create(CultureInfo.InvariantCulture,
            $"agent loop made no progress for {Math.Round(since.TotalSeconds, 1)} s (limit {limit.TotalSeconds} s); systemd's watchdog restarts it");
        return false;
    }
}
