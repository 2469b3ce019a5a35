using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Reboots through systemd-logind: <c>org.freedesktop.login1.Manager.Reboot(false)</c> on the system bus.</summary>
/// <remarks>Non-interactive: a daemon has no one to answer a polkit prompt, and root needs none.</remarks>
public sealed class LogindRebooter(string busAddress) : IRebooter, IDisposable
{
    private readonly DBusConnection _connection = new(new DBusConnectionOptions(busAddress) { AutoConnect = true });

    /// <inheritdoc />
    public Task RebootAsync(CancellationToken cancellationToken) => _connection.CallMethodAsync(Message());

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private MessageBuffer Message()
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "Reboot", "b");
        writer.WriteBool(false);
        return writer.CreateMessage();
    }
}
