namespace NodeDaemon.RpmOstree;

/// <summary>What <see cref="AuthFileInstaller.Install"/> did.</summary>
public enum AuthFileResult
{
    /// <summary>No credentials are configured (<c>authFile</c> is empty).</summary>
    Disabled,

    /// <summary><c>authFile</c> is empty and the copy an earlier run installed was removed.</summary>
    Removed,

    /// <summary>The default kubelet pull secret does not exist on this node.</summary>
    NoSource,

    /// <summary>The installed copy already has this content.</summary>
    Unchanged,

    /// <summary>The credentials were written to rpm-ostree's path.</summary>
    Installed,
}
