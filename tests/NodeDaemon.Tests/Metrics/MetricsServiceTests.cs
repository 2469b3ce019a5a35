using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Options;
using NodeDaemon.Hosting;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;
using NodeDaemon.Tests.Cli;
using NodeDaemon.Tests.Logging;

namespace NodeDaemon.Tests.Metrics;

/// <summary>The endpoint as the daemon runs it: the option, the hosted service, and the wiring when it is off.</summary>
public sealed class MetricsServiceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-metrics-service-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task The_service_listens_on_the_configured_socket_from_start_and_removes_it_on_stop()
    {
        var socket = Path.Combine(_dir.FullName, "nodedaemon", "metrics.sock");
        var options = new NodeDaemonOptions { Metrics = new MetricsOptions { Listen = "unix:" + socket } };
        var heartbeat = new AgentHeartbeat(TimeProvider.System);
        using var service = new MetricsService(options, new AgentMetrics(heartbeat), heartbeat, new WatchdogSettings(TimeSpan.FromMinutes(3)),
            TimeProvider.System, NullLogger<MetricsService>.Instance);

        await service.StartAsync(CancellationToken.None);
        ProcessRunner.Result scrape;
        try
        {
            // ExecuteAsync runs on its own task (so start-up never waits on a bind): wait, bounded, until it listens.
            await WaitUntilListeningAsync(socket);
            scrape = await ProcessRunner.RunAsync("/usr/bin/curl", ["--silent", "--show-error", "--max-time", "30", "--unix-socket", socket,
                "http://localhost/metrics"], null, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.True(scrape.ExitCode == 0, scrape.Stderr);
        Assert.Contains("# TYPE nodedaemon_loop_last_progress_seconds gauge\n", scrape.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(socket));
    }

    private static async Task WaitUntilListeningAsync(string path)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(path), bound.Token);
                return;
            }
            catch (SocketException) when (!bound.IsCancellationRequested)
            {
                await Task.Delay(20, bound.Token);
            }
        }
    }

    [Fact]
    public void With_metrics_off_the_loop_and_the_API_client_report_to_no_ops_and_nothing_listens()
    {
        using var host = DaemonHost.Build(new NodeDaemonOptions());

        Assert.Same(NoAgentMetrics.Instance, host.Services.GetRequiredService<IAgentMetrics>());
        Assert.Same(NoApiRequestObserver.Instance, host.Services.GetRequiredService<IApiRequestObserver>());
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s is MetricsService);
    }

    [Fact]
    public void With_metrics_on_both_report_to_the_one_registry_the_endpoint_serves()
    {
        using var host = DaemonHost.Build(new NodeDaemonOptions { Metrics = new MetricsOptions { Listen = "127.0.0.1:9464" } });

        var metrics = host.Services.GetRequiredService<AgentMetrics>();
        Assert.Same(metrics, host.Services.GetRequiredService<IAgentMetrics>());
        Assert.Same(metrics, host.Services.GetRequiredService<IApiRequestObserver>());
        Assert.Single(host.Services.GetServices<IHostedService>(), s => s is MetricsService);
    }

    [Fact]
    public void Validate_config_refuses_a_non_loopback_address_and_says_why()
    {
        var file = Path.Combine(_dir.FullName, "50-metrics.json");
        File.WriteAllText(file, """{ "metrics": { "listen": "0.0.0.0:9464" } }""");

        var result = CliRunner.Run("validate-config", "--config-dir", _dir.FullName);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("metrics.listen must be a loopback address", result.Error, StringComparison.Ordinal);
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
    }
}
