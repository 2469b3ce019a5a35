namespace NodeDaemon.Core.Options;

/// <summary>The merged settings: the last source to set a key wins, key by key, and is remembered for messages.</summary>
internal sealed class OptionAssignments
{
    private readonly Dictionary<string, (OptionKey Key, object? Value, string Origin)> _values = new(StringComparer.Ordinal);

    /// <summary>Sets <paramref name="key"/>, replacing what an earlier source set; <paramref name="origin"/> completes "(set ...)".</summary>
    public void Set(OptionKey key, object? value, string origin) => _values[key.Path] = (key, value, origin);

    /// <summary>Where the key at <paramref name="path"/> was last set, e.g. <c>in /etc/nodedaemon/config.d/10-drain.json</c>; null for a default.</summary>
    public string? OriginOf(string path) => _values.TryGetValue(path, out var entry) ? entry.Origin : null;

    /// <summary>The defaults with every assigned key applied.</summary>
    public NodeDaemonOptions Build()
    {
        var options = new NodeDaemonOptions();
        foreach (var (key, value, _) in _values.Values)
        {
            options = key.Apply(options, value);
        }

        return options;
    }
}
