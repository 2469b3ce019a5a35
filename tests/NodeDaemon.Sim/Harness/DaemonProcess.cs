using System.Diagnostics;
using System.Text;

namespace NodeDaemon.Sim.Harness;

/// <summary>The real <c>nodedaemon</c> executable started as a child process, stopped and reaped on dispose.</summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private DaemonProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once it has exited, else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>What it wrote to stdout so far.</summary>
    public string Stdout => Read(_stdout);

    /// <summary>What it wrote to stderr so far.</summary>
    public string Stderr => Read(_stderr);

    /// <summary>Starts <paramref name="command"/> with an argument list (no shell) and a clean environment: none of
    /// the caller's systemd or <c>NODEDAEMON_*</c> variables leak in, only <paramref name="environment"/>.</summary>
    public static DaemonProcess Start(DaemonCommandLine command, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in command.Prefix.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "NODE_NAME", "DBUS_SYSTEM_BUS_ADDRESS" })
        {
            start.Environment.Remove(name);
        }

        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("NODEDAEMON_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new DaemonProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start nodedaemon"));
    }

    /// <summary>Sends SIGTERM, as systemd's stop does.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends the signal <paramref name="name"/> (<c>TERM</c>, <c>ABRT</c>, …), as <c>kill -NAME</c> does.</summary>
    public void Signal(string name)
    {
        // A dead process's pid may already belong to someone else: never signal it.
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit(5000);
    }

    /// <summary>The exit code, or null when the process did not exit within <paramref name="timeout"/>.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return null;
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGKILL (a crash: no shutdown code runs) and reaps it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    /// <summary>Kills it if it still runs and releases the handle.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
