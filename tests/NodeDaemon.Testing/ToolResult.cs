namespace NodeDaemon.Sim.Harness;

/// <summary>What a finished command-line tool left behind.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">Everything it wrote to stdout.</param>
/// <param name="StandardError">Everything it wrote to stderr.</param>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError);
