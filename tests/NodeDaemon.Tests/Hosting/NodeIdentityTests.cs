using NodeDaemon.Core.Options;
using NodeDaemon.Hosting;

namespace NodeDaemon.Tests.Hosting;

/// <summary>Which Node the daemon manages: the option, else NODE_NAME, else the host name.</summary>
public sealed class NodeIdentityTests
{
    [Fact]
    public void The_option_wins()
    {
        var options = NodeIdentity.Resolve(new NodeDaemonOptions { NodeName = "worker-1" }, _ => "from-env");

        Assert.Equal("worker-1", options.NodeName);
    }

    [Fact]
    public void Then_NODE_NAME()
    {
        var options = NodeIdentity.Resolve(new NodeDaemonOptions(), name => name == "NODE_NAME" ? "Worker-2" : null);

        Assert.Equal("worker-2", options.NodeName);
    }

    [Fact]
    public void Then_the_host_name_lower_cased()
    {
        var options = NodeIdentity.Resolve(new NodeDaemonOptions(), _ => null);

        Assert.Equal(Environment.MachineName.ToLowerInvariant(), options.NodeName);
    }
}
