using System.Diagnostics;
using NodeDaemon.RpmOstree.Systemd;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.RpmOstree.Tests.Systemd;

/// <summary>The unit reader against a private dbus-daemon with a minimal GDBus systemd1 on it.</summary>
public sealed class SystemdUnitReaderTests : IAsyncLifetime, IDisposable
{
    private const string Units = """
        {
          "crio.service": { "load": "loaded", "active": "active" },
          "agent.service": { "load": "loaded", "active": "failed" },
          "slow.service": { "load": "loaded", "active": "activating" },
          "ondisk.service": { "load": "loaded", "active": "inactive", "loaded": false },
          "boot-complete.target": { "load": "loaded", "active": "active" }
        }
        """;

    // Bounds every read: a hung bus must fail the test, not stall the run.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private PrivateBus? _bus;
    private Process? _systemd;

    public async Task InitializeAsync()
    {
        _bus = await PrivateBus.StartAsync();
        _systemd = Process.Start(Tool.StartInfo(SimulatorScript.Python, [Path.Combine(AppContext.BaseDirectory, "Systemd", "fake_systemd1.py"), _bus.Address, Units]))!;
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        try
        {
            line = await _systemd.StandardOutput.ReadLineAsync(ready.Token);
        }
        catch (OperationCanceledException)
        {
            line = "(nothing within 30 s)";
        }

        if (line != "ready")
        {
            _systemd.Kill();
            Assert.Fail($"fake systemd1 did not start: {line} {await _systemd.StandardError.ReadToEndAsync()}");
        }
    }

    public Task DisposeAsync()
    {
        if (_systemd is { HasExited: false })
        {
            _systemd.Kill();
            _systemd.WaitForExit(5000);
        }

        _systemd?.Dispose();
        _bus?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timeout.Dispose();

    [Theory]
    [InlineData("crio.service", "loaded", "active")]
    [InlineData("agent.service", "loaded", "failed")]
    [InlineData("slow.service", "loaded", "activating")]
    [InlineData("boot-complete.target", "loaded", "active")]
    // Not in memory: GetUnit says NoSuchUnit, LoadUnit loads it.
    [InlineData("ondisk.service", "loaded", "inactive")]
    // No such unit at all: LoadUnit gives an object whose LoadState is not-found, which the rules fail on.
    [InlineData("missing.service", "not-found", "inactive")]
    public async Task Reads_the_load_and_active_state(string unit, string load, string active)
    {
        using var reader = new SystemdUnitReader(_bus!.Address);

        var evidence = await reader.ReadAsync(unit, _timeout.Token);

        Assert.Equal(new Core.Health.UnitEvidence(unit, load, active, null), evidence);
    }

    [Fact]
    public async Task One_reader_serves_many_reads_on_one_connection()
    {
        using var reader = new SystemdUnitReader(_bus!.Address);

        foreach (var unit in new[] { "crio.service", "agent.service", "crio.service" })
        {
            Assert.Null((await reader.ReadAsync(unit, _timeout.Token)).Error);
        }
    }

    [Fact]
    public async Task A_bus_that_does_not_answer_is_an_error_in_words_not_an_exception()
    {
        using var reader = new SystemdUnitReader("unix:path=/nonexistent/nodedaemon-test-bus");

        var evidence = await reader.ReadAsync("crio.service", _timeout.Token);

        Assert.Null(evidence.ActiveState);
        Assert.StartsWith("system bus unreachable: ", evidence.Error, StringComparison.Ordinal);
    }
}
