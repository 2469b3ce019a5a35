using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodeDaemon.Core.Options;
using NodeDaemon.Hosting;

namespace NodeDaemon.Tests.Hosting;

/// <summary>What the composition root leaves out of the host's start (docs/benchmarks.md, "READY=1 and reaction").</summary>
public sealed class DaemonHostTests
{
    [Fact]
    public void The_host_starts_without_the_options_start_up_validator_that_would_build_the_metrics_listener_graph()
    {
        using var host = DaemonHost.Build(new NodeDaemonOptions());

        // Host.StartAsync runs whatever validator is registered before READY=1; the builder's AddMetrics registers one
        // whose only work is starting a listener subscription manager the daemon has no listener for.
        Assert.Null(host.Services.GetService<IStartupValidator>());
    }
}
