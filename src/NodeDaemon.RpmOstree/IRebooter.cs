namespace NodeDaemon.RpmOstree;

/// <summary>Reboots the machine without rpm-ostree, for a staged deployment that is not locked.</summary>
public interface IRebooter
{
    /// <summary>Asks for a reboot; returns once the request is accepted.</summary>
    Task RebootAsync(CancellationToken cancellationToken);
}
