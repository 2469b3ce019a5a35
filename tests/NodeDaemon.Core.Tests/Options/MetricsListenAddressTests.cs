using System.Net;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

/// <summary><c>metrics.listen</c>: loopback TCP or a unix socket, and a one-line reason for everything else.</summary>
public class MetricsListenAddressTests
{
    private const string Allowed = "must be empty, \"127.0.0.1:PORT\", \"[::1]:PORT\" or \"unix:/PATH\"";

    public static TheoryData<string, string> Accepted => new()
    {
        { "127.0.0.1:9464", "127.0.0.1:9464" },
        { "127.0.0.53:1", "127.0.0.53:1" },
        { "[::1]:65535", "[::1]:65535" },
        { "unix:/run/nodedaemon/metrics.sock", "unix:/run/nodedaemon/metrics.sock" },
    };

    public static TheoryData<string, string> Refused => new()
    {
        { "0.0.0.0:9464", "must be a loopback address" },
        { "10.1.2.3:9464", "must be a loopback address" },
        { "[::]:9464", "must be a loopback address" },
        { "[fe80::1]:9464", "must be a loopback address" },
        { "localhost:9464", Allowed + " (an IP address, not a host name; IPv6 in brackets)" },
        { "::1:9464", Allowed + " (an IP address, not a host name; IPv6 in brackets)" },
        { "[127.0.0.1]:9464", Allowed + " (an IP address, not a host name; IPv6 in brackets)" },
        { "9464", Allowed },
        { ":9464", Allowed },
        { "127.0.0.1:0", "must end in a port between 1 and 65535" },
        { "127.0.0.1:65536", "must end in a port between 1 and 65535" },
        { "127.0.0.1:+80", "must end in a port between 1 and 65535" },
        { "127.0.0.1:", "must end in a port between 1 and 65535" },
        { "unix:metrics.sock", "must be unix: followed by an absolute file path" },
        { "unix:/run/nodedaemon/", "must be unix: followed by an absolute file path" },
        { "unix:/" + new string('s', 107), "must name a socket path of at most 107 bytes" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Accepts_loopback_and_unix_sockets(string text, string canonical)
    {
        Assert.True(MetricsListenAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(canonical, address!.ToString());
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses_with_the_rule_and_the_value(string text, string rule)
    {
        Assert.False(MetricsListenAddress.TryParse(text, out var address, out var error));
        Assert.Null(address);
        Assert.StartsWith(rule, error, StringComparison.Ordinal);
        Assert.EndsWith("got " + ValueText.Quote(text), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_means_off()
    {
        Assert.True(MetricsListenAddress.TryParse("", out var address, out var error));
        Assert.Null(address);
        Assert.Null(error);
    }

    [Fact]
    public void Parts_are_exposed_for_the_listener()
    {
        Assert.True(MetricsListenAddress.TryParse("[::1]:9464", out var tcp, out _));
        Assert.Equal((IPAddress.IPv6Loopback, 9464, (string?)null), (tcp!.Address, tcp.Port, tcp.SocketPath));
        Assert.True(MetricsListenAddress.TryParse("unix:/run/nodedaemon/metrics.sock", out var unix, out _));
        Assert.Equal(((IPAddress?)null, "/run/nodedaemon/metrics.sock"), (unix!.Address, unix.SocketPath));
    }

    [Fact]
    public void Code_cannot_make_a_non_loopback_listener_either()
    {
        Assert.Throws<ArgumentException>(() => MetricsListenAddress.Tcp(IPAddress.Any, 9464));
    }

    [Theory]
    [InlineData("unix:/var/lib/nodedaemon/agent-record.json", "/var/lib/nodedaemon")]
    [InlineData("unix:/var/lib/nodedaemon/metrics.sock", "/var/lib/nodedaemon/")]
    [InlineData("unix://var//lib/nodedaemon/x.sock", "/var/lib/nodedaemon")]
    [InlineData("unix:/srv/state/x.sock", "/srv/./state")]
    public void A_socket_inside_the_state_directory_is_refused(string listen, string stateDirectory)
    {
        var result = OptionsLoader.Load([], new Dictionary<string, string>
        {
            ["NODEDAEMON_METRICS__LISTEN"] = listen,
            ["NODEDAEMON_STATE_DIRECTORY"] = stateDirectory,
        });

        Assert.Contains(result.Errors, e => e.StartsWith("metrics.listen must not be inside stateDirectory", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unix:/var/lib/nodedaemon-metrics/x.sock")]
    [InlineData("unix:/run/nodedaemon/metrics.sock")]
    public void A_socket_beside_the_state_directory_is_accepted(string listen)
    {
        var result = OptionsLoader.Load([], new Dictionary<string, string> { ["NODEDAEMON_METRICS__LISTEN"] = listen });

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("unix:/run/../var/lib/nodedaemon/agent-record.json")]
    [InlineData("unix:/run/./metrics.sock")]
    [InlineData("unix:/run/metrics\u0007.sock")]
    public void A_socket_path_with_dot_segments_or_control_characters_is_refused(string text)
    {
        Assert.False(MetricsListenAddress.TryParse(System.Text.RegularExpressions.Regex.Unescape(text), out _, out var error));
        Assert.StartsWith("must name the socket path plainly", error, StringComparison.Ordinal);
    }
}
