using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>The calls NodeDaemon makes to rpm-ostreed on the system bus, as typed methods.</summary>
/// <remarks>Hand-written rather than generated: eight members, and each reads exactly the types of the subset XML.</remarks>
internal sealed class RpmOstreeBus(string address) : IDisposable
{
    private readonly DBusConnection _connection = new(new DBusConnectionOptions(address) { AutoConnect = true });

    /// <summary>The connection, for watching names and signals.</summary>
    public DBusConnection Connection => _connection;

    /// <summary><c>Sysroot.RegisterClient({"id": id})</c>: keeps rpm-ostreed from exiting idle while we need it.</summary>
    public Task RegisterClientAsync(string id)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, RpmOstreeNames.SysrootPath, RpmOstreeNames.Sysroot, "RegisterClient", "a{sv}");
        writer.WriteDictionary(new Dictionary<string, VariantValue> { ["id"] = id });
        return _connection.CallMethodAsync(writer.CreateMessage());
    }

    /// <summary><c>Sysroot.Reload()</c>: makes rpm-ostreed re-read the sysroot after a transaction.</summary>
    public Task ReloadAsync()
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, RpmOstreeNames.SysrootPath, RpmOstreeNames.Sysroot, "Reload");
        return _connection.CallMethodAsync(writer.CreateMessage());
    }

    /// <summary>The booted OS object (<c>Sysroot.Booted</c>).</summary>
    public async Task<string> GetBootedOsPathAsync() =>
        (await GetPropertyAsync(RpmOstreeNames.SysrootPath, RpmOstreeNames.Sysroot, "Booted").ConfigureAwait(false)).GetObjectPathAsString();

    /// <summary><c>Sysroot.Deployments</c>: staged first, then boot order.</summary>
    public async Task<List<Dictionary<string, VariantValue>>> GetDeploymentsAsync()
    {
        var value = await GetPropertyAsync(RpmOstreeNames.SysrootPath, RpmOstreeNames.Sysroot, "Deployments").ConfigureAwait(false);
        var deployments = new List<Dictionary<string, VariantValue>>(value.Count);
        for (var i = 0; i < value.Count; i++)
        {
            deployments.Add(value.GetItem(i).GetDictionary<string, VariantValue>());
        }

        return deployments;
    }

    /// <summary>One deployment property of the OS object (<c>BootedDeployment</c>, <c>RollbackDeployment</c>, ...).</summary>
    public async Task<Dictionary<string, VariantValue>> GetOsDeploymentAsync(string osPath, string property) =>
        (await GetPropertyAsync(osPath, RpmOstreeNames.Os, property).ConfigureAwait(false)).GetDictionary<string, VariantValue>();

    /// <summary><c>Sysroot.ActiveTransaction</c> as (method, sender, os path); all empty when idle.</summary>
    public async Task<(string Method, string Sender, string Path)> GetActiveTransactionAsync()
    {
        var value = await GetPropertyAsync(RpmOstreeNames.SysrootPath, RpmOstreeNames.Sysroot, "ActiveTransaction").ConfigureAwait(false);
        return (value.GetItem(0).GetString(), value.GetItem(1).GetString(), value.GetItem(2).GetString());
    }

    /// <summary><c>OS.Rebase(options, refspec, [])</c>; returns the transaction address.</summary>
    public Task<string> RebaseAsync(string osPath, Dictionary<string, VariantValue> options, string refspec)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, osPath, RpmOstreeNames.Os, "Rebase", "a{sv}sas");
        writer.WriteDictionary(options);
        writer.WriteString(refspec);
        writer.WriteArray(Array.Empty<string>());
        return CallForAddressAsync(writer);
    }

    /// <summary><c>OS.FinalizeDeployment(options)</c>; returns the transaction address.</summary>
    public Task<string> FinalizeDeploymentAsync(string osPath, Dictionary<string, VariantValue> options)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, osPath, RpmOstreeNames.Os, "FinalizeDeployment", "a{sv}");
        writer.WriteDictionary(options);
        return CallForAddressAsync(writer);
    }

    /// <summary><c>OS.Cleanup(elements)</c>; returns the transaction address.</summary>
    public Task<string> CleanupAsync(string osPath, string[] elements)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, osPath, RpmOstreeNames.Os, "Cleanup", "as");
        writer.WriteArray(elements);
        return CallForAddressAsync(writer);
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private Task<string> CallForAddressAsync(MessageWriter writer) =>
        _connection.CallMethodAsync(writer.CreateMessage(), static (Message message, object? _) => message.GetBodyReader().ReadString(), null);

    private Task<VariantValue> GetPropertyAsync(string path, string @interface, string name)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, path, RpmOstreeNames.Properties, "Get", "ss");
        writer.WriteString(@interface);
        writer.WriteString(name);
        return _connection.CallMethodAsync(writer.CreateMessage(),
            static (Message message, object? _) => message.GetBodyReader().ReadVariantValue(), null);
    }
}
