using System.CommandLine;
using NodeDaemon.Cli;

namespace NodeDaemon.Tests.Cli;

/// <summary>Runs the real command tree in-process with captured output and error.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = NodeDaemonCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return new Result(exitCode, output.ToString(), error.ToString());
    }
}
