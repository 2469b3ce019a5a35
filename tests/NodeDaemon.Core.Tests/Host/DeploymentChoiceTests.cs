using NodeDaemon.Core.Host;

namespace NodeDaemon.Core.Tests.Host;

/// <summary>Which listed deployment is booted and which staged: one rule for run and explain.</summary>
public sealed class DeploymentChoiceTests
{
    private static HostDeployment D(string id, bool booted = false, bool staged = false) =>
        new(null, null, id) { Id = id, Booted = booted, Staged = staged };

    public static TheoryData<HostDeployment[], string?, string?, int> Cases => new()
    {
        { [D("s", staged: true), D("b", booted: true), D("r")], "b", "s", 0 },
        { [D("b1", booted: true), D("b2", booted: true)], "b1", null, 1 },
        { [D("s1", staged: true), D("s2", staged: true), D("b", booted: true)], "b", "s1", 1 },
        { [D("r")], null, null, 0 },
        { [], null, null, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Picks_the_first_of_each_and_warns_about_a_second(HostDeployment[] deployments, string? booted, string? staged, int warningCount)
    {
        var warnings = new List<string>();

        var (b, s) = DeploymentChoice.Pick(deployments, warnings);

        Assert.Equal((booted, staged, warningCount), (b?.Id, s?.Id, warnings.Count));
    }
}
