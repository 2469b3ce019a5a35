using NodeDaemon.Core.Health;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree.Systemd;

/// <summary>Reads a unit's <c>LoadState</c> and <c>ActiveState</c> from <c>org.freedesktop.systemd1</c> on the system bus.</summary>
/// <remarks>
/// <c>Manager.GetUnit</c> answers only for units loaded in memory; for one that is not, <c>Manager.LoadUnit</c> loads it
/// from disk (as <c>systemctl status</c> does) so that a unit the image lacks reads <c>not-found</c> rather than passing
/// unnoticed. Both are read-only calls systemd allows any client (no polkit action), so the unprivileged daemon user
/// may make them. Bus failures come back as <see cref="UnitEvidence.Error"/>: the rules wait on them, never fail on them.
/// </remarks>
public sealed class SystemdUnitReader(string busAddress) : IUnitStateReader, IDisposable
{
    /// <summary>The longest one call may take: systemd answers these from memory, so a slow answer is a stuck bus.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private const string BusName = "org.freedesktop.systemd1";
    private const string ManagerPath = "/org/freedesktop/systemd1";
    private const string Manager = "org.freedesktop.systemd1.Manager";
    private const string Unit = "org.freedesktop.systemd1.Unit";
    private const string NoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private DBusConnection? _connection;

    /// <inheritdoc/>
    public async Task<UnitEvidence> ReadAsync(string unitName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitName);
        try
        {
            var connection = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
            string path;
            try
            {
                path = await CallAsync(connection, ManagerCall(connection, "GetUnit", unitName), ReadPath, cancellationToken).ConfigureAwait(false);
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == NoSuchUnit)
            {
                path = await CallAsync(connection, ManagerCall(connection, "LoadUnit", unitName), ReadPath, cancellationToken).ConfigureAwait(false);
            }

            var load = await CallAsync(connection, PropertyCall(connection, path, "LoadState"), ReadVariantString, cancellationToken).ConfigureAwait(false);
            var active = await CallAsync(connection, PropertyCall(connection, path, "ActiveState"), ReadVariantString, cancellationToken).ConfigureAwait(false);
            return new UnitEvidence(unitName, load, active, null);
        }
        catch (DBusErrorReplyException e)
        {
            return new UnitEvidence(unitName, null, null, $"{e.ErrorName}: {e.ErrorMessage}");
        }
        catch (Exception e) when (e is DBusExceptionBase or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return new UnitEvidence(unitName, null, null, $"system bus unreachable: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _connection?.Dispose();
        _connecting.Dispose();
    }

    private static async Task<T> CallAsync<T>(DBusConnection connection, MessageBuffer message, MessageValueReader<T> reader, CancellationToken cancellationToken) =>
        await connection.CallMethodAsync(message, reader).WaitAsync(CallTimeout, cancellationToken).ConfigureAwait(false);

    private static string ReadPath(Message message, object? state) => message.GetBodyReader().ReadObjectPathAsString();

    private static string ReadVariantString(Message message, object? state) => message.GetBodyReader().ReadVariantValue().GetString();

    private static MessageBuffer ManagerCall(DBusConnection connection, string method, string unitName)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, ManagerPath, Manager, method, "s");
        writer.WriteString(unitName);
        return writer.CreateMessage();
    }

    private static MessageBuffer PropertyCall(DBusConnection connection, string path, string property)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, path, "org.freedesktop.DBus.Properties", "Get", "ss");
        writer.WriteString(Unit);
        writer.WriteString(property);
        return writer.CreateMessage();
    }

    // One connection for every read of the gate, made again when the bus closed it (a dbus-daemon restart).
    private async Task<DBusConnection> ConnectedAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { } open && !open.DisconnectedAsync().IsCompleted)
            {
                return open;
            }

            _connection?.Dispose();
            _connection = null;
            var connection = new DBusConnection(busAddress);
            try
            {
                await connection.ConnectAsync().AsTask().WaitAsync(CallTimeout, cancellationToken).ConfigureAwait(false);
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
