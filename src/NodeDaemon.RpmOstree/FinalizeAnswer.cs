namespace NodeDaemon.RpmOstree;

/// <summary>Reads rpm-ostree's FinalizeDeployment refusals, whose wording is fixed in its source.</summary>
/// <remarks>Texts from rpm-ostree v2026.2: <c>src/daemon/rpmostreed-transaction-types.cxx</c>
/// (<c>Expected staged base checksum %s, but found %s</c>) and <c>src/daemon/rpmostreed-utils.cxx</c>
/// (<c>check_sd_inhibitor_locks</c>).</remarks>
internal static class FinalizeAnswer
{
    private const string ChecksumPrefix = "Expected staged base checksum ";
    private const string FoundPrefix = ", but found ";
    private const string Inhibited = "Reboot blocked by a systemd inhibitor lock in `block` mode";

    /// <summary>What rpm-ostree found instead of <paramref name="sent"/>, when <paramref name="message"/> is its checksum refusal.</summary>
    public static string? FoundChecksum(string message, string sent)
    {
        var expected = ChecksumPrefix + sent + FoundPrefix;
        var at = message.IndexOf(expected, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var found = message[(at + expected.Length)..].Trim();
        return found.Length == 0 || found.Any(char.IsWhiteSpace) ? null : found;
    }

    /// <summary>rpm-ostree's multi-line answer as one line (<c>; </c> between its lines), for the node's <c>message</c>.</summary>
    public static string OneLine(string message) =>
        string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Whether <paramref name="message"/> is the refusal for a <c>block</c>-mode shutdown inhibitor.</summary>
    public static bool IsInhibited(string message) => message.Contains(Inhibited, StringComparison.Ordinal);
}
