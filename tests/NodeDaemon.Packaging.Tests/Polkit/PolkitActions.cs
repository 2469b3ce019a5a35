namespace NodeDaemon.Packaging.Tests.Polkit;

/// <summary>The polkit action ids the proof asks about, each a fact of the upstream project that checks it.</summary>
/// <remarks>rpm-ostree v2026.2: src/daemon/rpmostreed-os.cxx <c>os_authorize_method</c> and
/// src/daemon/rpmostreed-sysroot.cxx <c>sysroot_authorize_method</c> map D-Bus methods to these ids;
/// systemd src/login/logind-dbus.c <c>verify_shutdown_creds</c> asks for reboot, reboot-multiple-sessions (another
/// user is logged in) or reboot-ignore-inhibit (a block inhibitor is held).</remarks>
internal static class PolkitActions
{
    /// <summary>What the daemon's calls need: Rebase, FinalizeDeployment, Cleanup, Rollback (the health gate's automatic
    /// rollback), RegisterClient/UnregisterClient, logind Reboot.</summary>
    public static readonly string[] Granted =
    [
        "org.projectatomic.rpmostree1.rebase",
        "org.projectatomic.rpmostree1.finalize-deployment",
        "org.projectatomic.rpmostree1.cleanup",
        "org.projectatomic.rpmostree1.rollback",
        "org.projectatomic.rpmostree1.client-management",
        "org.freedesktop.login1.reboot",
        "org.freedesktop.login1.reboot-multiple-sessions",
    ];

    /// <summary>What the daemon never calls for: rpm-ostree's other actions and logind's other power actions.</summary>
    /// <remarks>cancel: the daemon cancels a transaction through the transaction's own peer socket, whose Cancel
    /// rpm-ostreed does not check with polkit (rpmostreed-transaction.cxx); Sysroot.Cancel is never called.</remarks>
    public static readonly string[] Denied =
    [
        "org.projectatomic.rpmostree1.deploy",
        "org.projectatomic.rpmostree1.upgrade",
        "org.projectatomic.rpmostree1.override",
        "org.projectatomic.rpmostree1.install-uninstall-packages",
        "org.projectatomic.rpmostree1.install-local-packages",
        "org.projectatomic.rpmostree1.reload-daemon",
        "org.projectatomic.rpmostree1.bootconfig",
        "org.projectatomic.rpmostree1.cancel",
        "org.projectatomic.rpmostree1.repo-refresh",
        "org.projectatomic.rpmostree1.repo-modify",
        "org.freedesktop.login1.power-off",
        "org.freedesktop.login1.reboot-ignore-inhibit",
        "org.freedesktop.login1.halt",
        // Allowed to any user by logind's own defaults (allow_any=yes): only the rules' explicit "no" denies it.
        "org.freedesktop.login1.set-self-linger",
    ];

    /// <summary>The rpm-ostree ids: no Debian package declares them, so the proof declares them itself.</summary>
    public static IEnumerable<string> RpmOstree =>
        Granted.Concat(Denied).Where(id => id.StartsWith("org.projectatomic.rpmostree1.", StringComparison.Ordinal));

    /// <summary>The logind ids are declared by systemd's own org.freedesktop.login1.policy (Debian package systemd).</summary>
    public const string LogindPolicy = "/usr/share/polkit-1/actions/org.freedesktop.login1.policy";

    /// <summary>Theory data: one row per id.</summary>
    public static TheoryData<string> Rows(IEnumerable<string> ids)
    {
        var data = new TheoryData<string>();
        foreach (var id in ids)
        {
            data.Add(id);
        }

        return data;
    }
}
