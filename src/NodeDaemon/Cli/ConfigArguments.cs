using System.CommandLine;
using NodeDaemon.Configuration;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Cli;

/// <summary>The options every verb that reads the configuration shares: where the drop-in files are.</summary>
internal sealed class ConfigArguments
{
    /// <summary>Extra files, applied after the drop-in directories.</summary>
    public Option<string[]> Files { get; } = new("--config")
    {
        Description = "An extra JSON config file, applied after the drop-in directories (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Replaces the default drop-in directories.</summary>
    public Option<string[]> Directories { get; } = new("--config-dir")
    {
        Description = "A drop-in directory of *.json files, replacing the defaults /usr/lib/nodedaemon/config.d and /etc/nodedaemon/config.d (repeatable, later wins)",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Files);
        command.Options.Add(Directories);
    }

    /// <summary>Discovers, reads, merges and validates the configuration named by <paramref name="result"/>.</summary>
    public OptionsLoadResult Load(ParseResult result)
    {
        var directories = result.GetValue(Directories) is { Length: > 0 } given ? given : ConfigFileSource.DefaultDirectories;
        var discovery = ConfigFileSource.Discover(directories, result.GetValue(Files) ?? []);
        var loaded = OptionsLoader.Load(discovery.Files, EnvironmentVariables());
        // A file that could not be read is as much a problem as one that does not validate: report both at once.
        return discovery.Errors.Count == 0
            ? loaded
            : new OptionsLoadResult(null, [.. discovery.Errors, .. loaded.Errors], loaded.Sources);
    }

    /// <summary>As <see cref="Load"/>, plus the checks that look at this machine: the state directory must survive a reboot.</summary>
    /// <remarks>For <c>run</c> and <c>validate-config</c>: the verbs that read a node's configuration to run it.</remarks>
    public OptionsLoadResult LoadForRun(ParseResult result)
    {
        var loaded = Load(result);
        if (loaded.Options is { SignaturePolicy: Core.Options.SignaturePolicy.Verified } verified)
        {
            // What the host would verify: read once here, for validate-config's warnings and the agent's refusals.
            loaded = loaded with { Options = verified with { HostSignaturePolicy = Core.Images.HostSignaturePolicy.LoadSystem() } };
        }

        if (loaded.Options is not { } options || State.StateDirectoryCheck.Problems(options.StateDirectory) is not { Count: > 0 } problems)
        {
            return loaded;
        }

        return new OptionsLoadResult(null, [.. loaded.Errors, .. problems], loaded.Sources);
    }

    /// <summary>Loads the options; when they do not validate, writes every problem to the verb's error output.</summary>
    /// <returns>The options, or null after the problems were written (the verb then exits with <see cref="NodeDaemonCommand.ConfigErrorExitCode"/>).</returns>
    /// <param name="result">The parsed command line.</param>
    /// <param name="forRun">Also check what <see cref="LoadForRun"/> checks.</param>
    public NodeDaemonOptions? LoadOrReport(ParseResult result, bool forRun = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var loaded = forRun ? LoadForRun(result) : Load(result);
        if (loaded.Options is null)
        {
            WriteProblems(result.InvocationConfiguration.Error, loaded.Errors);
        }

        return loaded.Options;
    }

    /// <summary>Writes each problem on its own <c>error:</c> line, the way every verb reports configuration problems.</summary>
    public static void WriteProblems(TextWriter error, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var problem in problems)
        {
            error.WriteLine($"error: {problem}");
        }
    }

    private static Dictionary<string, string> EnvironmentVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }

        return variables;
    }
}
