using NodeDaemon.Core.Host;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Reboots through systemd-logind: <c>org.freedesktop.login1.Manager.Reboot(false)</c> on the system bus.</summary>
/// <remarks>Non-interactive: a daemon has no one to answer a polkit prompt, and root needs none.</remarks>
public sealed class LogindRebooter(string busAddress) : IRebooter
{
    /// <inheritdoc />
    public async Task RebootAsync(CancellationToken cancellationToken)
    {
        using var connection = new DBusConnection(busAddress);
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            await connection.CallMethodAsync(Message(connection)).ConfigureAwait(false);
        }
        catch (DBusExceptionBase e)
        {
            throw new HostException(HostErrorKind.Failed, $"logind refused the reboot: {e.Message}", e);
        }
    }

    private static MessageBuffer Message(DBusConnection connection)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "Reboot", "b");
        writer.WriteBool(false);
        return writer.CreateMessage();
    }
}
