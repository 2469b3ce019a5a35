namespace NodeDaemon.Core.Options;

/// <summary>Settings for the metrics and health endpoint.</summary>
public sealed record MetricsOptions
{
    /// <summary>
    /// Where <c>/metrics</c> and <c>/healthz</c> are served: empty (off), <c>127.0.0.1:PORT</c>, <c>[::1]:PORT</c> or
    /// <c>unix:/PATH</c>; see <see cref="MetricsListenAddress"/>.
    /// </summary>
    public string Listen { get; init; } = "";
}
