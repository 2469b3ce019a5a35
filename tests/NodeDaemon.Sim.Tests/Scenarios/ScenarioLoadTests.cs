using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Sim.Tests.Scenarios;

/// <summary>A scenario file with a mistake is refused with the problem named, before anything starts.</summary>
public sealed class ScenarioLoadTests : IDisposable
{
    private readonly TempDirectory _dir = new("nodedaemon-scenario-load-");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("""{"desiredImage": "x", "expectt": {}}""", "expectt")]
    [InlineData("""{"faults": [{"kind": "meteor"}]}""", "meteor")]
    [InlineData("""{"expect": {"state": "Happy"}}""", "Happy")]
    [InlineData("""{"timeoutSeconds": 0}""", "timeoutSeconds")]
    [InlineData("""{"pods": [{"name": 5}]}""", "name")]
    [InlineData("""{"inMemoryRegistry": " "}""", "inMemoryRegistry")]
    [InlineData("""{"inMemoryRegistry": "a broken registry", "realRegistry": {"wrongCredentials": true}}""", "inMemoryRegistry")]
    [InlineData("""{"inMemoryRegistry": "a broken registry", "faults": [{"kind": "registry-down"}]}""", "registry-down")]
    public void Mistakes_are_named(string json, string named)
    {
        File.WriteAllText(_dir.File("bad.json"), json);

        var error = Assert.Throws<ScenarioException>(() => Scenario.Load(_dir.File("bad.json")));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimal_file_gets_the_defaults_and_its_name()
    {
        File.WriteAllText(_dir.File("tiny.json"), """{"host": "fcos-container-status.json"}""");

        var scenario = Scenario.Load(_dir.File("tiny.json"));

        Assert.Equal("tiny", scenario.Name);
        Assert.Equal("worker-1", scenario.Node.Name);
        Assert.Equal("Done", scenario.Expect.State);
        Assert.Equal(1, scenario.Expect.Reboots);
        Assert.Equal(new ScenarioRealRegistry(), scenario.RealRegistry);
        Assert.False(scenario.PlainHttp);
    }

    [Fact]
    public void Plain_http_is_asked_for_by_name()
    {
        File.WriteAllText(_dir.File("plain.json"), """{"host": "fcos-container-status.json", "plainHttp": true}""");

        Assert.True(Scenario.Load(_dir.File("plain.json")).PlainHttp);
    }

    [Fact]
    public void A_scenario_that_says_why_pulls_from_the_in_memory_registry()
    {
        File.WriteAllText(_dir.File("memory.json"), """{"host": "fcos-container-status.json", "inMemoryRegistry": "a broken registry"}""");

        Assert.Null(Scenario.Load(_dir.File("memory.json")).RealRegistry);
    }
}
