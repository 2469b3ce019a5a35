using System.CommandLine;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Maintenance;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Cli;

/// <summary><c>nodedaemon explain</c>: what the agent would do for a Node object and an rpm-ostree status, without doing it.</summary>
internal static class ExplainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var config = new ConfigArguments();
        var node = new Option<FileInfo>("--node") { Description = "The Node object as JSON (kubectl get node NAME -o json)", Required = true };
        var status = new Option<FileInfo>("--status") { Description = "The host's status (rpm-ostree status --json)", Required = true };
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

            NodeView nodeView;
            HostView hostView;
            try
            {
                nodeView = NodeJson.Parse(File.ReadAllText(result.GetValue(node)!.FullName), options.AnnotationPrefix,
                    options.Fleet.Enabled ? options.Fleet.PoolLabel : null);
                hostView = HostStatusJson.Parse(File.ReadAllText(result.GetValue(status)!.FullName), "current-boot");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }

            var now = TimeProvider.System.GetUtcNow();
            var schedule = MaintenanceSchedule.From(options.Maintenance);
            var open = schedule.IsOpen(now);
            var decision = Decider.Decide(new AgentInputs(nodeView, hostView, AgentRecord.Empty, options, now,
                WindowOpen: open, NextWindowOpening: open ? null : schedule.NextOpening(now)));
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
}
