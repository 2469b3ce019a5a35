using System.Text;
using CliWrap;
using NodeDaemon.Core.Host;

namespace NodeDaemon.RpmOstree.Bootc;

/// <summary>Runs one <c>bootc</c> command (an argument list, never a shell) with a deadline, and collects its output.</summary>
internal sealed class BootcCli(BootcHostOptions options, TimeProvider time)
{
    /// <summary>bootc's stderr can be a long chain of contexts; the node's reason holds at most 2000 characters.</summary>
    private const int MaxErrorLength = 2000;

    /// <summary>Runs <c>bootc <paramref name="arguments"/></c>; throws <see cref="HostException"/> on a non-zero exit or the deadline.</summary>
    /// <param name="arguments">The arguments, passed to the process one by one.</param>
    /// <param name="line">Receives each stdout line as it comes, for progress.</param>
    /// <param name="cancellationToken">Kills the process when cancelled.</param>
    /// <returns>Everything bootc printed on stdout.</returns>
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, Action<string>? line, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(arguments, line, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new HostException(HostErrorKind.Failed, ErrorText(arguments, result));
    }

    /// <summary>Like <see cref="RunAsync"/>, but returns a non-zero exit instead of throwing.</summary>
    public async Task<BootcResult> TryRunAsync(IReadOnlyList<string> arguments, Action<string>? line, CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var output = line is null
            ? PipeTarget.ToStringBuilder(stdout)
            : PipeTarget.Merge(PipeTarget.ToStringBuilder(stdout), PipeTarget.ToDelegate(line));
        var command = Cli.Wrap(options.Executable)
            .WithArguments(arguments)
            .WithEnvironmentVariables(options.Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(output)
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr));
        using var deadline = new CancellationTokenSource(options.Staging.TransactionTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            // Forceful cancellation kills the process: bootc holds the sysroot lock while it runs.
            var result = await command.ExecuteAsync(linked.Token).ConfigureAwait(false);
            return new BootcResult(result.ExitCode, stdout.ToString(), stderr.ToString());
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HostException(HostErrorKind.TimedOut,
                $"bootc {string.Join(' ', arguments)} did not finish within {options.Staging.TransactionTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s (staging.transactionTimeoutSeconds); killed", e);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new HostException(HostErrorKind.Unavailable, $"bootc cannot be started as {options.Executable}: {e.Message}", e);
        }
    }

    /// <summary>bootc's own stderr, trimmed and bounded, or the exit code when it said nothing.</summary>
    public static string ErrorText(IReadOnlyList<string> arguments, BootcResult result)
    {
        var text = result.Stderr.Trim();
        if (text.Length == 0)
        {
            return $"bootc {string.Join(' ', arguments)} exited with code {result.ExitCode}";
        }

        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }
}
