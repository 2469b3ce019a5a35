namespace NodeDaemon.RpmOstree;

/// <summary>The bus names, object paths and interfaces of rpm-ostreed's API (specs/rpm-ostree-dbus.md).</summary>
public static class RpmOstreeNames
{
    /// <summary>rpm-ostreed's well-known name on the system bus.</summary>
    public const string BusName = "org.projectatomic.rpmostree1";

    /// <summary>The Sysroot object.</summary>
    public const string SysrootPath = "/org/projectatomic/rpmostree1/Sysroot";

    /// <summary>The Sysroot interface.</summary>
    public const string Sysroot = "org.projectatomic.rpmostree1.Sysroot";

    /// <summary>The OS interface.</summary>
    public const string Os = "org.projectatomic.rpmostree1.OS";

    /// <summary>The Transaction interface, at <c>/</c> on a peer-to-peer connection.</summary>
    public const string Transaction = "org.projectatomic.rpmostree1.Transaction";

    /// <summary>The standard properties interface.</summary>
    public const string Properties = "org.freedesktop.DBus.Properties";

    /// <summary>GIO's G_IO_ERROR_BUSY as GDBus puts it on the wire: another transaction is in progress.</summary>
    public const string BusyError = "org.gtk.GDBus.UnmappedGError.Quark._g_2dio_2derror_2dquark.Code26";

    /// <summary>The bus's answer for a call whose recipient went away without replying (rpm-ostreed exiting idle).</summary>
    public const string NoReplyError = "org.freedesktop.DBus.Error.NoReply";

    /// <summary>The system bus socket when DBUS_SYSTEM_BUS_ADDRESS is not set.</summary>
    public const string DefaultSystemBus = "unix:path=/var/run/dbus/system_bus_socket";

    /// <summary>The address of the system bus, honouring DBUS_SYSTEM_BUS_ADDRESS as every D-Bus client does.</summary>
    public static string SystemBusAddress(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return getVariable("DBUS_SYSTEM_BUS_ADDRESS") is { Length: > 0 } address ? address : DefaultSystemBus;
    }
}
