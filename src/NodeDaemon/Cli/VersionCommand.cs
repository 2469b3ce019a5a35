using System.CommandLine;
using System.Runtime.InteropServices;

namespace NodeDaemon.Cli;

/// <summary><c>nodedaemon version</c>: the build's version and runtime.</summary>
internal static class VersionCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command("version", "Print the version of this build");
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            output.WriteLine($"nodedaemon {ThisAssemblyVersion.Informational}");
            output.WriteLine($"runtime {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}");
            return 0;
        });
        return command;
    }
}
