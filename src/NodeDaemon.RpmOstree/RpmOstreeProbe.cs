using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Asks the system bus whether rpm-ostreed is there: running now, or activatable on demand.</summary>
/// <remarks>rpm-ostreed exits when idle, so an unowned name alone does not mean "no rpm-ostree": the bus may
/// still start it (<c>ListActivatableNames</c>). Any bus failure answers "no", within a bound.</remarks>
internal static class RpmOstreeProbe
{
    private const string Bus = "org.freedesktop.DBus";
    private const string BusPath = "/org/freedesktop/DBus";

    /// <summary>True when rpm-ostreed owns its name on <paramref name="address"/> or can be activated there.</summary>
    public static async Task<bool> AnswersAsync(string address, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var connection = new DBusConnection(address);
        try
        {
            return await ProbeAsync(connection).WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DBusExceptionBase or TimeoutException or IOException or ArgumentException)
        {
            // No bus, a refused handshake or a malformed address: rpm-ostreed cannot be used through it either.
            return false;
        }
    }

    private static async Task<bool> ProbeAsync(DBusConnection connection)
    {
        await connection.ConnectAsync().ConfigureAwait(false);
        var owned = await connection.CallMethodAsync(Call(connection, "NameHasOwner", RpmOstreeNames.BusName),
            static (Message m, object? _) => m.GetBodyReader().ReadBool(), null).ConfigureAwait(false);
        if (owned)
        {
            return true;
        }

        var activatable = await connection.CallMethodAsync(Call(connection, "ListActivatableNames", null),
            static (Message m, object? _) => m.GetBodyReader().ReadArrayOfString(), null).ConfigureAwait(false);
        return activatable.Contains(RpmOstreeNames.BusName, StringComparer.Ordinal);
    }

    private static MessageBuffer Call(DBusConnection connection, string member, string? name)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Bus, BusPath, Bus, member, name is null ? null : "s");
        if (name is not null)
        {
            writer.WriteString(name);
        }

        return writer.CreateMessage();
    }
}
