using System.Diagnostics;
using System.Text.RegularExpressions;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Acceptance.Tests;

/// <summary>
/// The published Native AOT binary on crafted inputs, as an operator would run it: every refusal exits non-zero within a
/// bound, in words naming the input, with no stack trace and no bare .NET resource key (what UseSystemResourceKeys prints).
/// </summary>
public sealed partial class PublishedBinaryHostileInputTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-aot-hostile-");

    [GeneratedRegex(@"(?:^|: )[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+(?:_[A-Za-z0-9]+)*(?:,|$)|\b(?:IO|Arg|Argument|InvalidOperation|Format|Serialization|Net)_[A-Za-z_]+")]
    private static partial Regex ResourceKey();

    // Quoted input is echoed as given; only the words around it are ours.
    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Quoted();

    private static bool HasResourceKey(string message) => ResourceKey().IsMatch(Quoted().Replace(message, "\"\""));

    private static string Binary()
    {
        var path = Environment.GetEnvironmentVariable("SCENARIO_DAEMON_BINARY") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "nodedaemon");
        Assert.True(File.Exists(path), $"{path} is missing: run ./build.sh publish (./build.sh test does)");
        return path;
    }

    private string ConfigDir => Directory.CreateDirectory(Path.Combine(_dir.FullName, "config.d")).FullName;

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Fifo()
    {
        return NodeDaemon.Tests.Shared.Fifo.Create(Path.Combine(_dir.FullName, "fifo-" + Guid.NewGuid().ToString("N")));
    }

    /// <summary>Runs the binary with a clean NODEDAEMON_* environment; a run past the bound is killed and fails the test.</summary>
    private static (int ExitCode, string Output, string Error) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Binary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        args.ToList().ForEach(start.ArgumentList.Add);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("NODEDAEMON_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_bound))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"nodedaemon {string.Join(' ', args)} did not end within {s_bound}");
        }

        Assert.True(Task.WaitAll([output, error], s_bound), "the output did not close");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static void AssertRefused((int ExitCode, string Output, string Error) result, string named)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        foreach (var line in result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.False(HasResourceKey(line), $"a resource key, not words: {line}");
        }
    }

    public static TheoryData<string, string> OddConfigFiles => new()
    {
        { "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "depth" },
        { """{"nodeName": "\ud800"}""", "surrogate" },
        { """{"drain": {"timeoutSeconds": 1e400}}""", "drain.timeoutSeconds" },
        { """{"drain": 5}""", "drain" },
        { """{"metrics": {"listen": "unix:/var/lib/nodedaemon/agent-record.json"}}""", "stateDirectory" },
        { "{\"nodeName\": \"x\" ", "invalid JSON" },
        { "\"text\"", "top level must be a JSON object" },
    };

    [Theory]
    [MemberData(nameof(OddConfigFiles))]
    public void An_odd_config_file_is_refused_in_words(string json, string named)
    {
        var result = Run(null, "validate-config", "--config-dir", ConfigDir, "--config", Write("odd.json", json));

        AssertRefused(result, named);
        Assert.Contains("odd.json", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/dev/urandom", "a character device")]
    [InlineData("/nonexistent/x.json", "no such file")]
    public void A_device_or_missing_config_file_is_refused_in_words(string path, string named)
    {
        AssertRefused(Run(null, "validate-config", "--config-dir", ConfigDir, "--config", path), named);
    }

    [Fact]
    public void A_fifo_as_config_file_or_node_is_refused_at_once()
    {
        AssertRefused(Run(null, "validate-config", "--config-dir", ConfigDir, "--config", Fifo()), "a FIFO");
        AssertRefused(Run(null, "explain", "--config-dir", ConfigDir, "--node", Fifo(), "--status", RepositoryPaths.RpmOstreeStatus("fcos-container-status.json")),
            "a FIFO");
    }

    [Theory]
    [InlineData("NODEDAEMON_DRAIN__TIMEOUT_SECONDS", "soon", "drain.timeoutSeconds")]
    [InlineData("NODEDAEMON_DRAIN", "5", "NODEDAEMON_DRAIN")]
    [InlineData("NODEDAEMON_METRICS__LISTEN", "unix:/var/lib/nodedaemon/agent-record.json", "stateDirectory")]
    [InlineData("NODEDAEMON_NODE_NAME", "Not A Name\u0001", "nodeName")]
    public void An_odd_variable_is_refused_in_words(string name, string value, string named)
    {
        AssertRefused(Run(new Dictionary<string, string> { [name] = value }, "validate-config", "--config-dir", ConfigDir), named);
    }

    [Theory]
    [InlineData("[]", "--node")]
    [InlineData("null", "--node")]
    [InlineData("""{"kind": 5}""", "--node")]
    [InlineData("""{"kind": "Node", "metadata": []}""", "--node")]
    public void An_odd_node_is_refused_in_words(string json, string named)
    {
        AssertRefused(Run(null, "explain", "--config-dir", ConfigDir, "--node", Write("node.json", json),
            "--status", RepositoryPaths.RpmOstreeStatus("fcos-container-status.json")), named);
    }

    [Theory]
    [InlineData("""{"deployments": [null, {"booted": true, "checksum": "\ud800", "timestamp": 99999999999999}]}""")]
    [InlineData("""{"kind": "Node", "metadata": {"annotations": {"nodedaemon.io/desired-image": "\ud800"}}}""")]
    public void An_odd_but_readable_document_is_explained(string json)
    {
        var node = json.Contains("\"kind\"", StringComparison.Ordinal) ? Write("node.json", json) : Write("node.json", """{"kind":"Node"}""");
        var status = json.Contains("deployments", StringComparison.Ordinal) ? Write("status.json", json)
            : RepositoryPaths.RpmOstreeStatus("fcos-container-status.json");

        var result = Run(null, "explain", "--config-dir", ConfigDir, "--node", node, "--status", status);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state:", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
