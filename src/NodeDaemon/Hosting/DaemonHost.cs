using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeDaemon.Agent;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Logging;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;
using Serilog;

namespace NodeDaemon.Hosting;

/// <summary>The composition root: the generic host with systemd integration, journald logging and the agent.</summary>
internal static class DaemonHost
{
    /// <summary>Builds the host for <paramref name="options"/>, already validated.</summary>
    public static IHost Build(NodeDaemonOptions options)
    {
        // The empty builder skips appsettings, user secrets and the console logger: our configuration is the
        // drop-in files, and our logs go to journald.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "nodedaemon" });
        var logger = new LoggerConfiguration()
            .ConfigureNodeDaemon(logLevel: options.LogLevel.ToString())
            .CreateLogger();
        builder.Services.AddSerilog(logger, dispose: true);
        // A failed service stops the host (the default, said so that it stays): DaemonExit makes that exit code 1.
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);

        builder.Services.AddSystemd();
        // AddSystemd registers the notifier only under systemd; STATUS and WATCHDOG need it in any case (it is a
        // no-op without NOTIFY_SOCKET).
        builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<AgentHeartbeat>();
        builder.Services.AddSingleton<StatusReporter>();
        builder.Services.AddSingleton(WatchdogSettings.FromEnvironment(Environment.GetEnvironmentVariable, Environment.ProcessId));
        if (!SystemdHelpers.IsSystemdService())
        {
            builder.Services.AddHostedService<ReadinessNotifier>();
        }

        // Off by default: then the loop and the API client report to no-ops and no socket is opened.
        var metricsOn = options.Metrics.Listen.Length > 0;
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddSingleton<IAgentMetrics>(s => metricsOn ? s.GetRequiredService<AgentMetrics>() : NoAgentMetrics.Instance);
        builder.Services.AddSingleton<IApiRequestObserver>(s => metricsOn ? s.GetRequiredService<AgentMetrics>() : NoApiRequestObserver.Instance);
        if (metricsOn)
        {
            builder.Services.AddHostedService<MetricsService>();
        }

        builder.Services.AddHostedService<AgentService>();
        builder.Services.AddHostedService<WatchdogService>();
        builder.Services.AddHostedService<StartupRelease>();
        // After the start-up release, the same release between the turns of an idle agent (docs/benchmarks.md, "Footprint: third pass").
        builder.Services.AddSingleton(s => new IdleTrim(s.GetRequiredService<TimeProvider>(), StartupRelease.Release, s.GetRequiredService<ILogger<IdleTrim>>()));
        // The builder adds Microsoft.Extensions.Diagnostics' metrics (AddMetrics), whose listener subscription manager
        // the host builds at start through the options start-up validator; that graph is made of generic types Native
        // AOT constructs at run time, a third of the main thread's work before READY=1 (docs/benchmarks.md, "READY=1
        // and reaction"). The daemon has no IMetricsListener (its /metrics is its own) and validates its options
        // itself, so nothing here needs that validator.
        builder.Services.RemoveAll<IStartupValidator>();
        return builder.Build();
    }
}
