using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The allowedImages refusal in the decision table: a row per case, each failing when its rule is broken.</summary>
public sealed class AllowedImagesTableTests
{
    /// <summary>One row: the desired image, the allow-list, and whether the image is refused.</summary>
    public sealed record Row(string Name, string Desired, string[] Allowed, bool Refused, bool CordonedByUs = false)
    {
        public override string ToString() => Name;
    }

    private static readonly Row[] s_rows =
    [
        new("empty list allows every repository", "evil.example.com/x/os@" + D2, [], Refused: false),
        new("exact repository", Pull(D2), ["quay.io/example/os"], Refused: false),
        new("below a path prefix", Pull(D2), ["quay.io/example"], Refused: false),
        new("trailing slash prefix", Pull(D2), ["quay.io/example/"], Refused: false),
        new("host alone allows the registry", Pull(D2), ["quay.io"], Refused: false),
        new("host compared ignoring case", "Quay.IO/example/os@" + D2, ["quay.io/example"], Refused: false),
        new("entry host in upper case", Pull(D2), ["QUAY.io/example"], Refused: false),
        new("one of several entries", Pull(D2), ["registry.example.com/os/", "quay.io/example/os"], Refused: false),
        new("other registry refused", "evil.example.com/example/os@" + D2, ["quay.io/example"], Refused: true),
        new("component boundary: quay.io/exampleevil is not below quay.io/example", "quay.io/exampleevil/os@" + D2, ["quay.io/example"], Refused: true),
        new("component boundary: repository osx is not os", "quay.io/example/osx@" + D2, ["quay.io/example/os"], Refused: true),
        new("host prefix: quay.io.evil.com is not quay.io", "quay.io.evil.com/example/os@" + D2, ["quay.io"], Refused: true),
        new("port differs", "quay.io:5000/example/os@" + D2, ["quay.io/example"], Refused: true),
        new("parent of the prefix refused", "quay.io/other@" + D2, ["quay.io/example"], Refused: true),
        new("refused while we hold a cordon: give it back", "evil.example.com/os@" + D2, ["quay.io/example"], Refused: true, CordonedByUs: true),
    ];

    public static TheoryData<Row> Rows => [.. s_rows];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Row_decides(Row row)
    {
        var options = new NodeDaemonOptions { AllowedImages = [.. row.Allowed.Select(Prefix)] };
        var decision = Decider.Decide(Inputs(desired: row.Desired, options: options, cordonedByUs: row.CordonedByUs));

        if (row.Refused)
        {
            Assert.Equal(AgentState.Degraded, decision.State);
            // Nothing pulled, nothing cordoned or drained: only what we hold is given back.
            Assert.Equal(row.CordonedByUs ? new AgentAction.Uncordon() : new AgentAction.None(), decision.Action);
            Assert.StartsWith($"desired image repository {ImageReference.Parse(row.Desired).Name} is not allowed by allowedImages (", decision.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(AgentState.Staging, decision.State);
            Assert.IsType<AgentAction.Stage>(decision.Action);
        }
    }

    [Fact]
    public void Reason_names_the_option_and_its_entries()
    {
        var options = new NodeDaemonOptions { AllowedImages = [Prefix("quay.io/a"), Prefix("registry.example.com/os/")] };
        var decision = Decider.Decide(Inputs(desired: "evil.example.com/os@" + D2, options: options));

        Assert.Equal(
            "desired image repository evil.example.com/os is not allowed by allowedImages (quay.io/a, registry.example.com/os/); add its prefix there to accept it",
            decision.Reason);
    }

    private static ImageRepositoryPrefix Prefix(string text) =>
        ImageRepositoryPrefix.TryParse(text, out var prefix, out var error) ? prefix! : throw new ArgumentException(error);
}
