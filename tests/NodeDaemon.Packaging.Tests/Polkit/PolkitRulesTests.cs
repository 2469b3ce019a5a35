using System.Text.RegularExpressions;
using NodeDaemon.Tests.Shared;
using NodeDaemon.Packaging.Tests.Support;

namespace NodeDaemon.Packaging.Tests.Polkit;

/// <summary>packaging/60-nodedaemon.rules, judged by the real polkitd: the <c>nodedaemon</c> user gets exactly the
/// actions behind the daemon's D-Bus calls, and nothing else; no other user gets anything from these rules.</summary>
public sealed partial class PolkitRulesTests(PolkitWorld polkit) : IClassFixture<PolkitWorld>
{
    public static TheoryData<string> Granted => PolkitActions.Rows(PolkitActions.Granted);

    public static TheoryData<string> Denied => PolkitActions.Rows(PolkitActions.Denied);

    public static TheoryData<string> RpmOstreeGranted =>
        PolkitActions.Rows(PolkitActions.Granted.Intersect(PolkitActions.RpmOstree));

    [Theory]
    [MemberData(nameof(Granted))]
    public async Task TheDaemonUserIsAllowed(string action)
    {
        var result = await polkit.CheckAsync(PolkitWorld.DaemonUser, action);

        Assert.True(result.ExitCode == 0, $"{action} for {PolkitWorld.DaemonUser}: pkcheck exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
    }

    [Theory]
    [MemberData(nameof(Denied))]
    public async Task TheDaemonUserIsRefusedEverythingElse(string action)
    {
        AssertRefused(PolkitWorld.DaemonUser, action, await polkit.CheckAsync(PolkitWorld.DaemonUser, action));
    }

    [Theory]
    [MemberData(nameof(RpmOstreeGranted))]
    public async Task AnotherUserIsNotAllowedWhatTheDaemonIs(string action)
    {
        // The test's own declarations say "no" for every subject: only a rule could allow it, and none is for this user.
        AssertRefused(PolkitWorld.OtherUser, action, await polkit.CheckAsync(PolkitWorld.OtherUser, action));
    }

    [Theory]
    [InlineData("org.freedesktop.login1.reboot")]
    [InlineData("org.freedesktop.login1.reboot-multiple-sessions")]
    public async Task AnotherUserGetsLogindsOwnAnswerForReboot(string action)
    {
        var result = await polkit.CheckAsync(PolkitWorld.OtherUser, action);

        // systemd's declaration says auth_admin_keep for a subject without a session: authenticate as an admin (2).
        Assert.True(result.ExitCode == 2, $"{action} for {PolkitWorld.OtherUser}: pkcheck exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
    }

    [Fact]
    public void TheRulesGrantExactlyTheListedActions()
    {
        // The proof asks about the list in PolkitActions; the rules file must name the same ids, no more.
        var rules = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "packaging", "60-nodedaemon.rules"));

        var named = CaseLabel().Matches(rules).Select(m => m.Groups["id"].Value).Order(StringComparer.Ordinal);
        Assert.Equal(PolkitActions.Granted.Order(StringComparer.Ordinal), named);
        Assert.Contains("return polkit.Result.NO;", rules, StringComparison.Ordinal);
    }

    [GeneratedRegex("""case "(?<id>[^"]+)":""")]
    private static partial Regex CaseLabel();

    // 1 and "Not authorized.": a definite no, not a request to authenticate (2), which an agent could answer.
    private static void AssertRefused(string user, string action, ToolResult result)
    {
        Assert.True(result.ExitCode == 1, $"{action} for {user}: pkcheck exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        Assert.Contains("Not authorized.", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
