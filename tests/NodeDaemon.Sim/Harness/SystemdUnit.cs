using System.Globalization;

namespace NodeDaemon.Sim.Harness;

/// <summary>What the runner needs of a service unit file, read from the file itself with systemd's defaults for what it
/// leaves out (systemd.service(5), systemd.kill(5), systemd.unit(5), systemd-system.conf(5), systemd 252).</summary>
/// <param name="WatchdogSec">WatchdogSec=; null (0, the default) is no watchdog.</param>
/// <param name="Restart">Restart=: <c>no</c> (default), <c>on-failure</c>, <c>always</c>, …</param>
/// <param name="RestartSec">RestartSec= (default 100ms).</param>
/// <param name="TimeoutStopSec">TimeoutStopSec= (default DefaultTimeoutStopSec=90s): SIGTERM, then SIGKILL after it.</param>
/// <param name="TimeoutStartSec">TimeoutStartSec= (default DefaultTimeoutStartSec=90s): READY=1 must come within it.</param>
/// <param name="TimeoutAbortSec">TimeoutAbortSec= (default: TimeoutStopSec): after the watchdog's signal, SIGKILL after it.</param>
/// <param name="WatchdogSignal">WatchdogSignal= (default SIGABRT), as a signal name without <c>SIG</c>.</param>
/// <param name="StartLimitIntervalSec">StartLimitIntervalSec= of [Unit] (default DefaultStartLimitIntervalSec=10s).</param>
/// <param name="StartLimitBurst">StartLimitBurst= of [Unit] (default DefaultStartLimitBurst=5).</param>
public sealed record SystemdUnit(
    TimeSpan? WatchdogSec,
    string Restart,
    TimeSpan RestartSec,
    TimeSpan TimeoutStopSec,
    TimeSpan TimeoutStartSec,
    TimeSpan TimeoutAbortSec,
    string WatchdogSignal,
    TimeSpan StartLimitIntervalSec,
    int StartLimitBurst)
{
    /// <summary>The shipped unit, relative to the repository root.</summary>
    public static readonly string ShippedPath = Path.Combine("systemd", "nodedaemon.service");

    /// <summary>Every duration multiplied by <paramref name="factor"/> (a scenario's <c>systemdTimeScale</c>); the burst stays.</summary>
    public SystemdUnit Scaled(double factor) => factor == 1 ? this : this with
    {
        WatchdogSec = WatchdogSec * factor,
        RestartSec = RestartSec * factor,
        TimeoutStopSec = TimeoutStopSec * factor,
        TimeoutStartSec = TimeoutStartSec * factor,
        TimeoutAbortSec = TimeoutAbortSec * factor,
        StartLimitIntervalSec = StartLimitIntervalSec * factor,
    };

    /// <summary>Whether Restart= restarts after a run that ended with <paramref name="result"/> (systemd's names:
    /// <c>success</c>, <c>exit-code</c>, <c>signal</c>, <c>core-dump</c>, <c>watchdog</c>, <c>timeout</c>).</summary>
    /// <remarks>systemd.service(5), "Table 2. Exit causes and the effect of the Restart= settings"; src/core/service.c,
    /// service_enter_dead(): on-failure restarts on every result but success.</remarks>
    public bool Restarts(string result) => Restart switch
    {
        "always" => true,
        "on-success" => result == "success",
        "on-failure" => result != "success",
        "on-abnormal" => result is "signal" or "core-dump" or "watchdog" or "timeout",
        "on-abort" => result is "signal" or "core-dump",
        "on-watchdog" => result == "watchdog",
        _ => false,
    };

    /// <summary>Reads the unit file at <paramref name="path"/>.</summary>
    public static SystemdUnit Load(string path) => Parse(File.ReadAllLines(path), path);

    /// <summary>The shipped unit of the repository around <paramref name="starts"/> (the first folder, or an ancestor, holding it).</summary>
    public static SystemdUnit LoadShipped(params string[] starts)
    {
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ShippedPath);
                if (File.Exists(candidate))
                {
                    return Load(candidate);
                }
            }
        }

        throw new FileNotFoundException($"no {ShippedPath} in or above {string.Join(", ", starts)}");
    }

    /// <summary>Parses the lines of a unit file; the last assignment of a key wins, an empty one resets it.</summary>
    public static SystemdUnit Parse(IEnumerable<string> lines, string source = "unit")
    {
        ArgumentNullException.ThrowIfNull(lines);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var section = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && section is "Service" or "Unit")
            {
                keys[$"{section}.{line[..equals].Trim()}"] = line[(equals + 1)..].Trim();
            }
        }

        TimeSpan? Span(string key, TimeSpan? fallback)
        {
            if (!keys.TryGetValue(key, out var text) || text.Length == 0)
            {
                return fallback;
            }

            return SystemdTimeSpan.TryParse(text, out var span) ? span : throw new FormatException($"{source}: {key}={text} is not a systemd time span");
        }

        var stop = Span("Service.TimeoutStopSec", null) ?? Span("Service.TimeoutSec", null) ?? TimeSpan.FromSeconds(90);
        var watchdog = Span("Service.WatchdogSec", TimeSpan.Zero)!.Value;
        return new SystemdUnit(
            watchdog > TimeSpan.Zero ? watchdog : null,
            keys.GetValueOrDefault("Service.Restart") is { Length: > 0 } restart ? restart : "no",
            Span("Service.RestartSec", TimeSpan.FromMilliseconds(100))!.Value,
            stop,
            Span("Service.TimeoutStartSec", null) ?? Span("Service.TimeoutSec", null) ?? TimeSpan.FromSeconds(90),
            Span("Service.TimeoutAbortSec", stop)!.Value,
            keys.GetValueOrDefault("Service.WatchdogSignal") is { Length: > 0 } signal ? signal.Replace("SIG", "", StringComparison.Ordinal) : "ABRT",
            Span("Unit.StartLimitIntervalSec", TimeSpan.FromSeconds(10))!.Value,
            keys.GetValueOrDefault("Unit.StartLimitBurst") is { Length: > 0 } burst ? int.Parse(burst, CultureInfo.InvariantCulture) : 5);
    }
}

/// <summary>systemd's time span syntax (systemd.time(7)): <c>3min</c>, <c>10s</c>, <c>5min 20s</c>, <c>100ms</c>, a bare number of seconds.</summary>
public static class SystemdTimeSpan
{
    private static readonly (string Unit, double Seconds)[] s_units =
    [
        ("usec", 1e-6), ("us", 1e-6), ("μs", 1e-6), ("msec", 1e-3), ("ms", 1e-3),
        ("seconds", 1), ("second", 1), ("sec", 1), ("s", 1),
        ("minutes", 60), ("minute", 60), ("min", 60), ("m", 60),
        ("hours", 3600), ("hour", 3600), ("hr", 3600), ("h", 3600),
        ("days", 86400), ("day", 86400), ("d", 86400),
    ];

    /// <summary>Parses <paramref name="text"/>; <c>infinity</c> is <see cref="TimeSpan.MaxValue"/>.</summary>
    public static bool TryParse(string text, out TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(text);
        span = TimeSpan.Zero;
        text = text.Trim();
        if (text == "infinity")
        {
            span = TimeSpan.MaxValue;
            return true;
        }

        var seconds = 0.0;
        var i = 0;
        var any = false;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return any && start == text.Length;
            }

            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && char.IsLetter(text[i]))
            {
                i++;
            }

            var unit = text[unitStart..i];
            var factor = unit.Length == 0 ? 1.0 : s_units.FirstOrDefault(u => u.Unit == unit).Seconds;
            if (factor == 0)
            {
                return false;
            }

            seconds += number * factor;
            any = true;
        }

        span = TimeSpan.FromSeconds(seconds);
        return any;
    }
}
