using System.Diagnostics;
using System.Globalization;
using System.Text;
using NodeDaemon.Packaging.Tests.Support;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Polkit;

/// <summary>Debian's real polkitd on a private system bus, with the RPM's rules installed and the <c>nodedaemon</c>
/// user present; asked through <c>pkcheck</c> run as a given user about a process of that user.</summary>
/// <remarks>polkitd reads rules from /etc/polkit-1/rules.d and actions from /usr/share/polkit-1/actions (fixed
/// paths), so the fixture puts one file in each under a name no one else uses, and removes them, the processes it
/// started and a user it created, at the end, also after a failure. Needs root: it writes those directories and
/// creates the user.</remarks>
public sealed class PolkitWorld : IAsyncLifetime, IDisposable
{
    /// <summary>The unit's user (packaging/nodedaemon.sysusers).</summary>
    public const string DaemonUser = "nodedaemon";

    /// <summary>Another user, present on every Debian system: it must be granted nothing.</summary>
    public const string OtherUser = "nobody";

    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..12];
    private readonly List<Process> _processes = [];
    private readonly Dictionary<string, int> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Uid, string Gid)> _ids = new(StringComparer.Ordinal);
    private bool _createdUser;

    /// <summary>Where the rules under test are installed: the RPM's file, byte for byte, under a unique name.</summary>
    public string RulesPath => $"/etc/polkit-1/rules.d/60-nodedaemon-test-{_tag}.rules";

    /// <summary>This test's own declaration of the rpm-ostree action ids.</summary>
    public string ActionsPath => $"/usr/share/polkit-1/actions/io.nodedaemon.test-{_tag}.policy";

    private string BusAddress => "unix:path=" + _temp.Combine("bus");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        try
        {
            await SetUpAsync();
        }
        catch
        {
            await DisposeAsync();
            Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>pkcheck --action-id ACTION --process PID</c> as <paramref name="user"/> about a process of that user.</summary>
    internal Task<ToolResult> CheckAsync(string user, string action) =>
        Tool.RunAsync(Tool.OnPath("setpriv"), [.. AsUser(_ids[user]), Tool.OnPath("pkcheck"), "--action-id", action, "--process",
            _subjects[user].ToString(CultureInfo.InvariantCulture)], Environment());

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        _processes.Clear();
        File.Delete(RulesPath);
        File.Delete(ActionsPath);
        if (_createdUser)
        {
            (await Tool.RunAsync(Tool.OnPath("userdel"), DaemonUser)).EnsureSuccess();
            if ((await Tool.RunAsync(Tool.OnPath("getent"), "group", DaemonUser)).ExitCode == 0)
            {
                (await Tool.RunAsync(Tool.OnPath("groupdel"), DaemonUser)).EnsureSuccess();
            }

            _createdUser = false;
        }
    }

    /// <summary>Deletes the temp folder (xunit calls it after <see cref="DisposeAsync"/>).</summary>
    public void Dispose()
    {
        if (Directory.Exists(_temp.Path))
        {
            _temp.Dispose();
        }
    }

    private async Task SetUpAsync()
    {
        Assert.True(System.Environment.UserName == "root",
            "the polkit proof runs as root: it installs rules and actions where polkitd reads them and creates the nodedaemon user");
        Assert.True(File.Exists(PolkitActions.LogindPolicy), $"{PolkitActions.LogindPolicy} (Debian package systemd) is missing");

        // The sockets and the temp folder must be reachable by the unprivileged users that run pkcheck.
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101);

        if ((await Tool.RunAsync(Tool.OnPath("getent"), "passwd", DaemonUser)).ExitCode != 0)
        {
            // The package's own sysusers.d file creates the user, as %pre and rpm do on a node.
            var sysusers = Path.Combine(RepositoryPaths.Root, "packaging", "nodedaemon.sysusers");
            _createdUser = true;
            (await Tool.RunAsync(Tool.OnPath("systemd-sysusers"), sysusers)).EnsureSuccess();
        }

        File.Copy(Path.Combine(RepositoryPaths.Root, "packaging", "60-nodedaemon.rules"), RulesPath);
        await File.WriteAllTextAsync(ActionsPath, ActionDeclarations());

        var config = _temp.Combine("bus.conf");
        await File.WriteAllTextAsync(config, BusConfig(_temp.Combine("bus")));
        Start(Tool.OnPath("dbus-daemon"), ["--config-file=" + config, "--nofork", "--nopidfile"]);
        await WaitForAsync(() => Task.FromResult(File.Exists(_temp.Combine("bus"))), "the private bus socket");

        Start("/usr/lib/polkit-1/polkitd", ["--no-debug"]);
        await WaitForAsync(PolkitdOwnsItsNameAsync, "polkitd to own org.freedesktop.PolicyKit1");

        foreach (var user in new[] { DaemonUser, OtherUser })
        {
            // passwd: name:x:uid:gid:... (nobody's group is not called nobody on Debian: numbers, not names).
            var entry = (await Tool.RunAsync(Tool.OnPath("getent"), "passwd", user)).EnsureSuccess().Stdout.Split(':');
            _ids[user] = (entry[2], entry[3]);
            // The subject whose authorization is checked: a process of that user that just waits.
            var pid = Start(Tool.OnPath("setpriv"), [.. AsUser(_ids[user]), Tool.OnPath("sleep"), "600"]).Id;
            // Asked about before setpriv has become that user's sleep, polkit would see root's process.
            await WaitForAsync(() => Task.FromResult(File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep"), $"{user}'s sleep");
            _subjects[user] = pid;
        }
    }

    private async Task<bool> PolkitdOwnsItsNameAsync()
    {
        var result = await Tool.RunAsync(Tool.OnPath("busctl"), ["--address=" + BusAddress, "call", "org.freedesktop.DBus",
            "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s", "org.freedesktop.PolicyKit1"], Environment());
        return result.ExitCode == 0 && result.Stdout.Trim() == "b true";
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > s_readyTimeout)
            {
                throw new TimeoutException($"waited {s_readyTimeout.TotalSeconds} s for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private Process Start(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        _processes.Add(process);
        return process;
    }

    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        // polkitd and pkcheck both connect to "the system bus": this one.
        ["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress,
    };

    // setpriv: the user's uid, primary group and no supplementary groups, as systemd's User= gives the daemon.
    private static string[] AsUser((string Uid, string Gid) ids) => ["--reuid=" + ids.Uid, "--regid=" + ids.Gid, "--clear-groups", "--"];

    /// <summary>The rpm-ostree action ids, declared here (the ids are rpm-ostree's; the declarations are ours).</summary>
    /// <remarks>Defaults "no" for every kind of subject: an id is allowed only where a rule says so.</remarks>
    private static string ActionDeclarations()
    {
        var xml = new StringBuilder("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE policyconfig PUBLIC "-//freedesktop//DTD PolicyKit Policy Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/PolicyKit/1/policyconfig.dtd">
            <policyconfig>

            """);
        foreach (var id in PolkitActions.RpmOstree)
        {
            xml.Append(CultureInfo.InvariantCulture, $"""
                  <action id="{id}">
                    <description>NodeDaemon packaging test: {id}</description>
                    <message>NodeDaemon packaging test: {id}</message>
                    <defaults><allow_any>no</allow_any><allow_inactive>no</allow_inactive><allow_active>no</allow_active></defaults>
                  </action>

                """);
        }

        return xml.Append("</policyconfig>\n").ToString();
    }

    private static string BusConfig(string socket) => $"""
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>system</type>
          <listen>unix:path={socket}</listen>
          <auth>EXTERNAL</auth>
          <policy context="default">
            <allow user="*"/>
            <allow own="*"/>
            <allow send_destination="*"/>
            <allow receive_sender="*"/>
          </policy>
        </busconfig>
        """;
}
