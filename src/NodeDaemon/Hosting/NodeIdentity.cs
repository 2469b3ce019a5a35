using NodeDaemon.Core.Options;

namespace NodeDaemon.Hosting;

/// <summary>Fills in which Node this daemon manages when the configuration leaves it empty.</summary>
internal static class NodeIdentity
{
    /// <summary><c>nodeName</c> if set, else <c>$NODE_NAME</c> (the downward API's usual name), else the host name, lower-cased as node names are.</summary>
    public static NodeDaemonOptions Resolve(NodeDaemonOptions options, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(getVariable);
        if (options.NodeName.Length > 0)
        {
            return options;
        }

        var name = getVariable("NODE_NAME") is { Length: > 0 } fromEnvironment ? fromEnvironment : Environment.MachineName;
        return options with { NodeName = name.ToLowerInvariant() };
    }
}
