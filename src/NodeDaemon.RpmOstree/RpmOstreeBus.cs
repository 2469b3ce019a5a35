using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>The calls NodeDaemon makes to rpm-ostreed on the system bus, as typed methods.</summary>
/// <remarks>Hand-written rather than generated: eight members, and each reads exactly the types of the subset XML.
/// The connection is made explicitly and made again after it closed: Tmds' AutoConnect mode was seen to have its
/// handshake refused by dbus-daemon once a peer-to-peer transaction connection had been used in the process.</remarks>
internal sealed class RpmOstreeBus(string address) : IDisposable
{
    /// <summary>The longest one D-Bus method call to rpm-ostreed may take (transactions have their own timeout).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private DBusConnection? _connection;

    /// <summary>How often a RegisterClient that met rpm-ostreed's idle exit is sent again (each activates it anew).</summary>
    private const int RegisterAttempts = 5;

    /// <summary><c>Sysroot.RegisterClient({"id": id})</c>: keeps rpm-ostreed from exiting idle while we need it.</summary>
    /// <remarks>Sent to the well-known name, so a call while rpm-ostreed is not running starts it (bus activation). A
    /// call that meets it exiting idle, while it still owns the name, is never answered and the bus says NoReply:
    /// sent again, as rpm-ostree's own client does (<c>src/app/rpmostree-clientlib.cxx</c>).</remarks>
    public async Task RegisterClientAsync(string id)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await ConnectedAsync().ConfigureAwait(false);
            try
            {
                await connection.CallMethodAsync(RegisterClientMessage(connection, id)).ConfigureAwait(false);
                return;
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == RpmOstreeNames.NoReplyError && attempt < RegisterAttempts)
            {
            }
        }
    }

    /// <summary><c>Sysroot.UnregisterClient({})</c>, never starting rpm-ostreed for it (NoAutoStart): a daemon that is
    /// not running has no client to forget.</summary>
    public async Task UnregisterClientAsync()
    {
        var connection = await ConnectedAsync().ConfigureAwait(false);
        await connection.CallMethodAsync(UnregisterClientMessage(connection)).ConfigureAwait(false);
    }

    private static MessageBuffer UnregisterClientMessage(DBusConnection connection)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, RpmOstreeNames.SysrootPath, RpmOstreeNames.Sysroot, "UnregisterClient", "a{sv}",
            MessageFlags.NoAutoStart);
        writer.WriteDictionary(new Dictionary<string, VariantValue>());
        return writer.CreateMessage();
    }

    /// <summary><c>Sysroot.Reload()</c>: makes rpm-ostreed re-read the sysroot after a transaction.</summary>
    public async Task ReloadAsync()
    {
        var connection = await ConnectedAsync().ConfigureAwait(false);
        await connection.CallMethodAsync(Call(connection, RpmOstreeNames.SysrootPath, RpmOstreeNames.Sysroot, "Reload")).ConfigureAwait(false);
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
    public Task<string> RebaseAsync(string osPath, Dictionary<string, VariantValue> options, string refspec) =>
        CallForAddressAsync(connection =>
        {
            using var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(RpmOstreeNames.BusName, osPath, RpmOstreeNames.Os, "Rebase", "a{sv}sas");
            writer.WriteDictionary(options);
            writer.WriteString(refspec);
            writer.WriteArray(Array.Empty<string>());
            return writer.CreateMessage();
        });

    /// <summary><c>OS.FinalizeDeployment(options)</c>; returns the transaction address.</summary>
    public Task<string> FinalizeDeploymentAsync(string osPath, Dictionary<string, VariantValue> options) =>
        CallForAddressAsync(connection =>
        {
            using var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(RpmOstreeNames.BusName, osPath, RpmOstreeNames.Os, "FinalizeDeployment", "a{sv}");
            writer.WriteDictionary(options);
            return writer.CreateMessage();
        });

    /// <summary><c>OS.Rollback(options)</c>; returns the transaction address.</summary>
    public Task<string> RollbackAsync(string osPath, Dictionary<string, VariantValue> options) =>
        CallForAddressAsync(connection =>
        {
            using var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(RpmOstreeNames.BusName, osPath, RpmOstreeNames.Os, "Rollback", "a{sv}");
            writer.WriteDictionary(options);
            return writer.CreateMessage();
        });

    /// <summary><c>OS.Cleanup(elements)</c>; returns the transaction address.</summary>
    public Task<string> CleanupAsync(string osPath, string[] elements) =>
        CallForAddressAsync(connection =>
        {
            using var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(RpmOstreeNames.BusName, osPath, RpmOstreeNames.Os, "Cleanup", "as");
            writer.WriteArray(elements);
            return writer.CreateMessage();
        });

    /// <inheritdoc />
    public void Dispose()
    {
        _connection?.Dispose();
        _connecting.Dispose();
    }

    private static MessageBuffer RegisterClientMessage(DBusConnection connection, string id)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, RpmOstreeNames.SysrootPath, RpmOstreeNames.Sysroot, "RegisterClient", "a{sv}");
        writer.WriteDictionary(new Dictionary<string, VariantValue> { ["id"] = id });
        return writer.CreateMessage();
    }

    private static MessageBuffer Call(DBusConnection connection, string path, string @interface, string member)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, path, @interface, member);
        return writer.CreateMessage();
    }

    private async Task<string> CallForAddressAsync(Func<DBusConnection, MessageBuffer> message)
    {
        var connection = await ConnectedAsync().ConfigureAwait(false);
        return await connection.CallMethodAsync(message(connection),
            static (Message reply, object? _) => reply.GetBodyReader().ReadString(), null).ConfigureAwait(false);
    }

    private async Task<VariantValue> GetPropertyAsync(string path, string @interface, string name)
    {
        var connection = await ConnectedAsync().ConfigureAwait(false);
        return await connection.CallMethodAsync(PropertyMessage(connection, path, @interface, name),
            static (Message message, object? _) => message.GetBodyReader().ReadVariantValue(), null).ConfigureAwait(false);
    }

    private static MessageBuffer PropertyMessage(DBusConnection connection, string path, string @interface, string name)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(RpmOstreeNames.BusName, path, RpmOstreeNames.Properties, "Get", "ss");
        writer.WriteString(@interface);
        writer.WriteString(name);
        return writer.CreateMessage();
    }

    /// <summary>The open connection, made (again) when there is none or the last one closed.</summary>
    private async Task<DBusConnection> ConnectedAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connection is { } open && !open.DisconnectedAsync().IsCompleted)
            {
                return open;
            }

            _connection?.Dispose();
            _connection = null;
            var connection = new DBusConnection(address);
            try
            {
                await connection.ConnectAsync().ConfigureAwait(false);
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            _connection = connection;
            return connection;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
