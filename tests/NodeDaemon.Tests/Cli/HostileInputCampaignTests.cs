using System.Text.RegularExpressions;
using CsCheck;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.RpmOstree;

namespace NodeDaemon.Tests.Cli;

/// <summary>
/// The property campaign over everything an operator or a server hands the parsers: Node JSON, status JSON, drop-in
/// files and NODEDAEMON_* variables. Each property holds when no exception but the documented one escapes, every
/// refusal is in words (no bare .NET resource key), and each run ends within a bound.
/// </summary>
public sealed partial class HostileInputCampaignTests
{
    // Bounded: a fixed number of cases per property (a few seconds each); a failure shrinks and prints its seed.
    private const int Iterations = 1500;

    /// <summary>A bare resource key as .NET prints it with UseSystemResourceKeys (e.g. "ObjectDepthTooLarge, 16", "IO_FileNotFound_FileName").</summary>
    [GeneratedRegex(@"(?:^|: )[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+(?:_[A-Za-z0-9]+)*(?:,|$)|\b(?:IO|Arg|Argument|InvalidOperation|Format|Serialization|Net)_[A-Za-z_]+")]
    private static partial Regex ResourceKey();

    // Quoted input is echoed as given; only the words around it are ours.
    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Quoted();

    private static bool HasResourceKey(string message) => ResourceKey().IsMatch(Quoted().Replace(message, "\"\""));

    internal static void AssertInWords(string message)
    {
        Assert.False(string.IsNullOrWhiteSpace(message), "an empty refusal");
        Assert.False(HasResourceKey(message), $"a resource key, not words: {message}");
        Assert.True(message.Contains(' ', StringComparison.Ordinal), $"not a sentence: {message}");
    }

    [Fact]
    public void Node_json_is_read_or_refused_in_words()
    {
        Gen.OneOf(HostileInputGenerators.Node, HostileInputGenerators.Broken, HostileInputGenerators.Value).Sample(json =>
        {
            try
            {
                var snapshot = NodeReader.Parse(json);
                Assert.NotNull(snapshot.ToView(Core.Cluster.AnnotationKeys.For(AnnotationProtocol.MachineConfigOperator, "nodedaemon.io/"), "x"));
            }
            catch (FormatException e)
            {
                AssertInWords(e.Message);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Status_json_is_read_or_refused_in_words()
    {
        Gen.OneOf(HostileInputGenerators.Status, HostileInputGenerators.Broken, HostileInputGenerators.Value).Sample(json =>
        {
            try
            {
                var status = RpmOstreeStatusJson.Parse(json);
                Assert.True(status.Booted.Booted);
                status.Warnings.ToList().ForEach(AssertInWords);
            }
            catch (FormatException e)
            {
                AssertInWords(e.Message);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Config_files_are_loaded_or_refused_in_words()
    {
        Gen.OneOf(HostileInputGenerators.ConfigFile, HostileInputGenerators.Broken, HostileInputGenerators.Value).Sample(json =>
        {
            var result = OptionsLoader.Load([new ConfigFile("/etc/nodedaemon/config.d/50-x.json", json)], new Dictionary<string, string>());
            Assert.True(result.Options is null == result.Errors.Count > 0);
            foreach (var error in result.Errors)
            {
                AssertInWords(error);
                Assert.Contains("50-x.json", error, StringComparison.Ordinal);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Variables_are_loaded_or_refused_in_words()
    {
        HostileInputGenerators.Variables.Sample(variables =>
        {
            var result = OptionsLoader.Load([], variables);
            Assert.True(result.Options is null == result.Errors.Count > 0);
            foreach (var error in result.Errors)
            {
                AssertInWords(error);
                Assert.Contains(variables.Keys, name => error.Contains(name, StringComparison.Ordinal) || error.Contains(OptionKeyOf(name), StringComparison.Ordinal));
            }
        }, iter: Iterations);
    }

    // A problem found by validation names the key path ("set by NODEDAEMON_X" is added only when one variable set it).
    private static string OptionKeyOf(string variable) =>
        OptionsLoader.KnownKeys.FirstOrDefault(k => OptionsLoader.EnvironmentVariableFor(k) == variable) ?? variable;
}
