using System.Globalization;
using System.Text.RegularExpressions;
using NodeDaemon.Packaging.Tests.Support;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Systemd;

/// <summary>systemd's own tools on <c>systemd/nodedaemon.service</c>: it loads cleanly and its sandbox is as tight as measured.</summary>
public sealed partial class UnitTests : IDisposable
{
    /// <summary>Overall exposure systemd-analyze security (systemd 252) gives the unit; docs/install.md quotes it.</summary>
    private const decimal MeasuredExposure = 1.2m;

    /// <summary>The checks the unit fails on purpose, each for a reason docs/install.md gives.</summary>
    private static readonly string[] s_acceptedGaps =
    [
        "PrivateUsers=",                          // not tried on a node yet: docs/install.md
        "PrivateNetwork=",                        // the API server and registries are remote
        "IPAddressDeny=",                         // same: no fixed address list for a cluster's API server
        "RestrictAddressFamilies=~AF_(INET|INET6)", // same
        "RestrictAddressFamilies=~AF_UNIX",       // the system bus, journald, sd_notify
        "ProcSubset=",                            // ProcSubset=pid would hide /proc/sys/kernel/random/boot_id
        "RootDirectory=/RootImage=",              // the host's own root: its /var/lib/kubelet, /run/ostree, the bus
        "DeviceAllow=",                           // char-rtc:r, which ProtectClock= itself adds
    ];

    private readonly TempDirectory _temp = new();

    /// <inheritdoc />
    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task VerifyReportsNothing()
    {
        var unit = UnitFile.CopyForVerify(_temp);

        // --man=no: Documentation= names man:nodedaemon(1), which the RPM installs and this machine lacks.
        var result = await Tool.RunAsync(Tool.OnPath("systemd-analyze"), "verify", "--man=no", unit);

        // verify exits 0 on an unknown or misspelt key and only says so on stderr, so both must be clean.
        result.EnsureSuccess();
        Assert.True(result.Stderr.Length == 0, $"systemd-analyze verify printed:\n{result.Stderr}");
    }

    [Fact]
    public async Task ExposureIsAtMostTheMeasuredLevel()
    {
        var report = await SecurityReportAsync();

        var match = OverallExposure().Match(report);
        Assert.True(match.Success, $"no overall exposure line in:\n{report}");
        var exposure = decimal.Parse(match.Groups["level"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        Assert.InRange(exposure, 0m, MeasuredExposure);
    }

    [Fact]
    public async Task OnlyTheAcceptedChecksFail()
    {
        var report = await SecurityReportAsync();

        var failed = report.Split('\n')
            .Where(line => line.StartsWith('✗'))
            .Select(line => line[1..].TrimStart().Split(' ', 2)[0])
            .Order(StringComparer.Ordinal);
        Assert.Equal(s_acceptedGaps.Order(StringComparer.Ordinal), failed);
    }

    [Fact]
    public void InstallGuideQuotesTheMeasuredExposure()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "install.md"));

        Assert.Contains($"**{MeasuredExposure.ToString("0.0", CultureInfo.InvariantCulture)}**", guide, StringComparison.Ordinal);
    }

    [Fact]
    public void TheKernelBootIdStaysReadable()
    {
        // The agent recognises a reboot by /proc/sys/kernel/random/boot_id; ProcSubset=pid would hide it.
        var unit = File.ReadAllLines(UnitFile.Path);

        Assert.DoesNotContain(unit, line => line.StartsWith("ProcSubset=", StringComparison.Ordinal));
        Assert.Contains("ProtectProc=invisible", unit);
    }

    private async Task<string> SecurityReportAsync()
    {
        var unit = UnitFile.CopyForVerify(_temp);
        var result = await Tool.RunAsync(Tool.OnPath("systemd-analyze"), "security", "--offline=yes", "--no-pager", unit);
        return result.EnsureSuccess().Stdout;
    }

    [GeneratedRegex(@"Overall exposure level for nodedaemon\.service: (?<level>\d+\.\d+)")]
    private static partial Regex OverallExposure();
}
