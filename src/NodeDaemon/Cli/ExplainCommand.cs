using System.CommandLine;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Maintenance;
using NodeDaemon.Core.Options;
using NodeDaemon.Core.Files;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.RpmOstree;

namespace NodeDaemon.Cli;

/// <summary><c>nodedaemon explain</c>: what the agent would do for a Node object and an rpm-ostree status, without doing it.</summary>
/// <remarks>
/// It reads both documents through the code <c>run</c> uses (<see cref="NodeReader"/> and
/// <see cref="NodeSnapshot.ToView(NodeDaemonOptions)"/>; <see cref="RpmOstreeStatusJson"/> with the same deployment mapping and
/// choice) and builds the decision's inputs as the loop does (<see cref="ObservedInputs"/>), so its answer is the one
/// the daemon would act on.
/// </remarks>
internal static class ExplainCommand
{
    /// <summary>The largest document read: the API server stores objects of at most 1.5 MiB, a status is far smaller.</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var config = new ConfigArguments();
        var node = new Option<string>("--node") { Description = "The Node object as JSON (kubectl get node NAME -o json)", Required = true };
        var status = new Option<string>("--status") { Description = "The host's status (rpm-ostree status --json)", Required = true };
        var command = new Command("explain", "Print the decision the agent would take for a node and host status, and why; changes nothing")
        {
            node,
            status,
        };
        config.AddTo(command);
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (config.LoadOrReport(result) is not { } options)
            {
                return NodeDaemonCommand.ConfigErrorExitCode;
            }

            if (Read(result.GetValue(node)!, "--node", NodeReader.Parse, error) is not { } snapshot
                || Read(result.GetValue(status)!, "--status", RpmOstreeStatusJson.Parse, error) is not { } hostStatus)
            {
                return 1;
            }

            // As the loop's first turn would see it: no notes, no slot.
            var decision = Decider.Decide(ObservedInputs.From(snapshot.ToView(options), hostStatus, "current-boot", AgentRecord.Empty, options,
                MaintenanceSchedule.From(options.Maintenance), TimeProvider.System.GetUtcNow()));
            foreach (var warning in hostStatus.Warnings)
            {
                error.WriteLine($"warning: {warning}");
            }

            output.WriteLine($"state:   {decision.State} ({decision.Condition})");
            output.WriteLine($"action:  {decision.Action}");
            output.WriteLine($"message: {decision.Message}");
            if (decision.Reason is not null)
            {
                output.WriteLine($"reason:  {decision.Reason}");
            }

            return 0;
        });
        return command;
    }

    // Reads and parses one document; a problem is written as "error: --node PATH: what is wrong" and answers null.
    private static T? Read<T>(string path, string option, Func<string, T> parse, TextWriter error)
        where T : class
    {
        try
        {
            return parse(RegularFile.ReadText(path, MaxDocumentBytes));
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            error.WriteLine($"error: {option} {path}: {e.Message}");
            return null;
        }
    }
}
