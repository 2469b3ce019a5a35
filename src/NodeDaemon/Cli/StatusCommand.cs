using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Host;
using NodeDaemon.Hosting;
using NodeDaemon.RpmOstree;

namespace NodeDaemon.Cli;

/// <summary><c>nodedaemon status</c>: the host's deployments as NodeDaemon sees them.</summary>
internal static class StatusCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var config = new ConfigArguments();
        var json = new Option<bool>("--json") { Description = "Print the stable JSON form (docs/cli.md)" };
        var command = new Command("status", "Show the booted, staged and rollback deployments (image, digest, version, age) and any transaction in progress")
        {
            json,
        };
        config.AddTo(command);
        command.SetAction(async (result, cancellation) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (config.LoadOrReport(result) is not { } options)
            {
                return NodeDaemonCommand.ConfigErrorExitCode;
            }

            var busAddress = RpmOstreeNames.SystemBusAddress(Environment.GetEnvironmentVariable);
            HostStatus status;
            IHostSystem? host = null;
            try
            {
                // The configured backend (rpm-ostree, bootc, or whichever this host has).
                host = await HostSystemFactory.CreateAsync(options, busAddress, TimeProvider.System, NullLoggerFactory.Instance, cancellation)
                    .ConfigureAwait(false);
                status = await host.ReadStatusAsync(cancellation).ConfigureAwait(false);
            }
            catch (HostException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            finally
            {
                (host as IDisposable)?.Dispose();
            }

            var nodeState = await NodeStatus.ReadAsync(NodeIdentity.Resolve(options, Environment.GetEnvironmentVariable), cancellation)
                .ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(StatusDocument.From(status) with { Node = nodeState },
                    StatusJsonContext.Default.StatusDocument)).ConfigureAwait(false);
                return 0;
            }

            var now = TimeProvider.System.GetUtcNow();
            Write(output, "booted", status.Booted, now);
            Write(output, "staged", status.Staged, now);
            Write(output, "rollback", status.Rollback, now);
            await output.WriteLineAsync($"transaction: {status.ActiveTransaction ?? "none"}").ConfigureAwait(false);
            await output.WriteLineAsync(nodeState.Error is { } unreachable
                ? $"node {nodeState.Name}: not reachable ({unreachable})"
                : $"node {nodeState.Name}: desired {nodeState.DesiredImage ?? "none"}; {nodeState.State ?? "-"} {nodeState.Phase ?? ""}: {nodeState.Message ?? ""}")
                .ConfigureAwait(false);
            foreach (var warning in status.Warnings)
            {
                await output.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static void Write(TextWriter output, string label, HostDeployment? deployment, DateTimeOffset now)
    {
        if (deployment is null)
        {
            output.WriteLine($"{label}: none");
            return;
        }

        output.WriteLine($"{label}: {deployment.ContainerImageReference ?? deployment.Origin ?? deployment.Checksum}");
        output.WriteLine($"  digest:  {deployment.ImageDigest?.ToString() ?? "-"}");
        if (DeploymentDocument.IndexOf(deployment) is { } index)
        {
            output.WriteLine($"  index:   {index} (the reference pins a multi-arch index; the digest above is the platform manifest pulled)");
        }

        output.WriteLine($"  version: {deployment.Version ?? "-"}");
        if (deployment.Timestamp is { } timestamp)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  built:   {timestamp:u} ({Age(now - timestamp)} ago)"));
        }

        output.WriteLine($"  commit:  {deployment.Checksum}");
    }

    private static string Age(TimeSpan age) => age.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h");
}
