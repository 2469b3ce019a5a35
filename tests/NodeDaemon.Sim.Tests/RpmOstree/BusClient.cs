using Tmds.DBus.Protocol;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>Writes a message body; by ref because MessageWriter is a struct that tracks its own position.</summary>
internal delegate void BodyWriter(ref MessageWriter writer);

/// <summary>A Tmds.DBus.Protocol bus connection calling the simulator the way NodeDaemon will.</summary>
internal sealed class BusClient : IDisposable
{
    private readonly DBusConnection _connection;
    private readonly string _osPath;

    private BusClient(DBusConnection connection, string osPath)
    {
        _connection = connection;
        _osPath = osPath;
    }

    public static async Task<BusClient> ConnectAsync(string address, string osPath = SimWorld.OsPath)
    {
        var connection = new DBusConnection(address);
        await connection.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        return new BusClient(connection, osPath);
    }

    public string? UniqueName => _connection.UniqueName;

    public Task<string> RebaseAsync(string refspec, bool lockFinalization = true, bool reboot = false, string? title = null) =>
        CallForAddressAsync("Rebase", "a{sv}sas", (ref MessageWriter w) =>
        {
            var dict = w.WriteDictionaryStart();
            w.WriteDictionaryEntryStart();
            w.WriteString("lock-finalization");
            w.WriteVariantBool(lockFinalization);
            w.WriteDictionaryEntryStart();
            w.WriteString("reboot");
            w.WriteVariantBool(reboot);
            if (title is not null)
            {
                w.WriteDictionaryEntryStart();
                w.WriteString("initiating-command-line");
                w.WriteVariantString(title);
            }

            w.WriteDictionaryEnd(dict);
            w.WriteString(refspec);
            w.WriteArray(Array.Empty<string>());
        });

    public Task<string> FinalizeAsync(string? checksum) =>
        CallForAddressAsync("FinalizeDeployment", "a{sv}", (ref MessageWriter w) =>
        {
            var dict = w.WriteDictionaryStart();
            if (checksum is not null)
            {
                w.WriteDictionaryEntryStart();
                w.WriteString("checksum");
                w.WriteVariantString(checksum);
            }

            w.WriteDictionaryEnd(dict);
        });

    public Task<string> CleanupAsync(params string[] elements) =>
        CallForAddressAsync("Cleanup", "as", (ref MessageWriter w) => w.WriteArray(elements));

    public Task<string> RollbackAsync(bool? reboot = null) =>
        CallForAddressAsync("Rollback", "a{sv}", (ref MessageWriter w) =>
        {
            var dict = w.WriteDictionaryStart();
            if (reboot is { } value)
            {
                w.WriteDictionaryEntryStart();
                w.WriteString("reboot");
                w.WriteVariantBool(value);
            }

            w.WriteDictionaryEnd(dict);
        });

    public async Task CallAsync(string destination, string path, string iface, string member, string? signature = null,
        BodyWriter? body = null)
    {
        await _connection.CallMethodAsync(Build(destination, path, iface, member, signature, body)).WaitAsync(TimeSpan.FromSeconds(5));
    }

    public void Dispose() => _connection.Dispose();

    private async Task<string> CallForAddressAsync(string member, string signature, BodyWriter body)
    {
        var message = Build(SimWorld.Name, _osPath, SimWorld.OsIface, member, signature, body);
        return await _connection.CallMethodAsync(message, (m, _) => m.GetBodyReader().ReadString())
            .WaitAsync(TimeSpan.FromSeconds(5));
    }

    // MessageWriter is a ref struct: the message is built synchronously, then sent.
    private MessageBuffer Build(string? destination, string path, string iface, string member, string? signature,
        BodyWriter? body)
    {
        var writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination, path, iface, member, signature);
            body?.Invoke(ref writer);
            return writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
    }
}
