namespace NodeDaemon.Logging;

/// <summary>Default values of <see cref="JournaldSinkOptions"/>.</summary>
public static class JournaldSinkDefaults
{
    /// <summary>Where systemd-journald listens for the native protocol.</summary>
    public const string SocketPath = "/run/systemd/journal/socket";

    /// <summary>The <c>SYSLOG_IDENTIFIER</c> of every entry, so <c>journalctl -t nodedaemon</c> finds them.</summary>
    public const string SyslogIdentifier = "nodedaemon";

    /// <summary>Put before every structured property's field name, so ours never clash with journald's own fields.</summary>
    public const string FieldPrefix = "NODEDAEMON_";

    /// <summary>
    /// The largest datagram we send. Linux refuses a Unix datagram larger than the sender's
    /// SO_SNDBUF (net.core.wmem_default, 208 KiB on stock kernels), so 128 KiB leaves headroom;
    /// longer entries are truncated rather than passed through a memfd.
    /// </summary>
    public const int MaxEntryBytes = 128 * 1024;
}
