using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Faults;

/// <summary>Holds the current fault settings and makes the seeded random draws; thread-safe.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private FaultSettings _settings = new();
    private Random _random = new(1);

    /// <summary>Raised when new settings ask for an outage (the server restarts its listener).</summary>
    internal event Action<FaultSettings>? OutageRequested;

    /// <summary>The settings in force.</summary>
    public FaultSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    /// <summary>Replaces the settings; the random sequence restarts from their seed; an outage starts if one is asked for.</summary>
    public void Set(FaultSettings settings)
    {
        lock (_gate)
        {
            _settings = settings;
            _random = new Random(settings.Seed);
        }

        if (settings.UnavailableSeconds > 0)
        {
            OutageRequested?.Invoke(settings);
        }
    }

    /// <summary>Turns every knob off.</summary>
    public void Clear() => Set(new FaultSettings());

    /// <summary>The injected error Status for this request, or null to serve it normally.</summary>
    public JsonObject? ErrorFor(string verb, string resource, bool resumedWatch = false)
    {
        lock (_gate)
        {
            foreach (var fault in _settings.Errors)
            {
                if ((fault.Verb is null || fault.Verb == verb) && (fault.Resource is null || fault.Resource == resource)
                    && (!fault.ResumedWatchesOnly || resumedWatch) && _random.NextDouble() < fault.Rate)
                {
                    return fault.Status == 429
                        ? StatusErrors.TooManyRequests("Too many requests, please try again later.", fault.RetryAfterSeconds)
                        : StatusErrors.Internal($"injected fault on {verb} {resource}");
                }
            }

            return null;
        }
    }
}
