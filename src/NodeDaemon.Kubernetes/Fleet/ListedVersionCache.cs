namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The resourceVersion of the last Lease list: a watch started right after it starts there instead of listing again.</summary>
internal sealed class ListedVersionCache
{
    private readonly Lock _gate = new();
    private string _version = "";

    /// <summary>The version of the last list; empty before any.</summary>
    public string Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }

        set
        {
            lock (_gate)
            {
                _version = value;
            }
        }
    }
}
