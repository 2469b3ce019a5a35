using System.CommandLine;
using System.Text.Json;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>The <c>scenario</c> verb: runs one scenario file against the daemon binary and prints the result as JSON.</summary>
internal static class ScenarioCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The scenario (docs/simulator.md, examples in tests/scenarios/)." };
        var daemon = new Option<string?>("--daemon")
        {
            Description = "The nodedaemon to run: the published binary (default: artifacts/bin/nodedaemon of the enclosing repository) or a nodedaemon.dll.",
        };
        var narrate = new Option<bool>("--narrate") { Description = "Tell what happens on stderr as it happens (the demo)." };
        var env = new Option<string[]>("--daemon-env") { Description = "NAME=VALUE added to the daemon's environment (repeatable), e.g. to compare runtime GC settings." };
        var command = new Command("scenario", "Run a scenario: a private D-Bus, the rpm-ostreed simulator, the test API server and the daemon binary as processes; reboots carried out. Prints one JSON result; exit 0 when every expectation held, 1 when not, 2 for a bad scenario.")
        {
            file, daemon, narrate, env,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var path = Path.GetFullPath(parseResult.GetValue(file)!);
            try
            {
                var scenario = Scenario.Load(path);
                var binary = Daemon(parseResult.GetValue(daemon));
                var narrator = parseResult.GetValue(narrate) ? new ConsoleNarrator(Console.Error) : null;
                var environment = (parseResult.GetValue(env) ?? []).Select(Variable).ToDictionary(v => v.Name, v => v.Value);
                var runner = new ScenarioRunner(scenario, Path.GetDirectoryName(path)!, binary, narrator) { DaemonEnvironment = environment, SampleIdleRss = true };
                var result = await runner.RunAsync(ct).ConfigureAwait(false);
                Console.WriteLine(result.Document.ToJsonString(s_indented));
                return result.Passed ? 0 : 1;
            }
            catch (ScenarioException e)
            {
                await Console.Error.WriteLineAsync($"nodedaemon-sim scenario: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }

    private static (string Name, string Value) Variable(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? (text[..equals], text[(equals + 1)..]) : throw new ScenarioException($"--daemon-env {text}: expected NAME=VALUE");
    }

    /// <summary>The daemon to run: the given path, or the published binary of the repository around the current folder.</summary>
    public static DaemonCommandLine Daemon(string? path)
    {
        if (path is not null)
        {
            return File.Exists(path)
                ? path.EndsWith(".dll", StringComparison.Ordinal) ? DaemonCommandLine.Jit(Path.GetFullPath(path)) : DaemonCommandLine.Native(path)
                : throw new ScenarioException($"--daemon {path}: no such file");
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var published = Path.Combine(dir.FullName, "artifacts", "bin", "nodedaemon");
            if (File.Exists(published))
            {
                return DaemonCommandLine.Native(published);
            }
        }

        throw new ScenarioException("no artifacts/bin/nodedaemon above the current folder: run ./build.sh publish, or pass --daemon");
    }
}
