namespace NodeDaemon.RpmOstree.Bootc;

/// <summary>How one bootc run ended: its exit code and what it printed.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Stdout">Everything printed on stdout.</param>
/// <param name="Stderr">Everything printed on stderr; bootc's error chain on failure.</param>
internal sealed record BootcResult(int ExitCode, string Stdout, string Stderr);
