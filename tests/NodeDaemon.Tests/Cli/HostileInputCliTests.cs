using System.Diagnostics;

namespace NodeDaemon.Tests.Cli;

/// <summary>The verbs on hostile files: a FIFO, endless devices, directories, broken and odd documents. Each ends in words, in bounded time.</summary>
public sealed class HostileInputCliTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-hostile-");

    private string ConfigDir => Directory.CreateDirectory(Path.Combine(_dir.FullName, "config.d")).FullName;

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Fifo()
    {
        return Shared.Fifo.Create(Path.Combine(_dir.FullName, "fifo-" + Guid.NewGuid().ToString("N")));
    }

    private static CliRunner.Result Bounded(params string[] args)
    {
        var run = Task.Run(() => CliRunner.Run(args));
        Assert.True(run.Wait(s_bound), $"nodedaemon {string.Join(' ', args)} did not end within {s_bound}");
        return run.Result;
    }

    private static void AssertRefusedInWords(CliRunner.Result result, string named)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        foreach (var line in result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            HostileInputCampaignTests.AssertInWords(line);
        }
    }

    private string Node => Write("node.json", """{"kind":"Node","metadata":{"name":"n1"}}""");

    private static string Status => Shared.RepositoryPaths.RpmOstreeStatus("fcos-container-status.json");

    [Fact]
    public void A_fifo_as_a_config_file_is_refused_at_once()
    {
        var fifo = Fifo();

        AssertRefusedInWords(Bounded("validate-config", "--config-dir", ConfigDir, "--config", fifo), "a FIFO");
    }

    [Fact]
    public void A_fifo_as_a_drop_in_is_refused_at_once()
    {
        var dir = ConfigDir;
        var fifo = Fifo();
        File.Move(fifo, Path.Combine(dir, "50-pipe.json"));

        AssertRefusedInWords(Bounded("validate-config", "--config-dir", dir), "50-pipe.json");
    }

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/dev/urandom", "a character device")]
    [InlineData("/tmp", "a directory")]
    public void A_device_or_directory_as_a_config_file_is_refused(string path, string kind)
    {
        AssertRefusedInWords(Bounded("validate-config", "--config-dir", ConfigDir, "--config", path), kind);
    }

    [Fact]
    public void A_symlink_to_dev_null_masks_a_drop_in()
    {
        var dir = ConfigDir;
        File.CreateSymbolicLink(Path.Combine(dir, "50-masked.json"), "/dev/null");

        var result = Bounded("validate-config", "--config-dir", dir);

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void A_fifo_or_device_as_the_node_or_status_is_refused_at_once()
    {
        AssertRefusedInWords(Bounded("explain", "--config-dir", ConfigDir, "--node", Fifo(), "--status", Status), "--node");
        AssertRefusedInWords(Bounded("explain", "--config-dir", ConfigDir, "--node", "/dev/zero", "--status", Status), "a character device");
        AssertRefusedInWords(Bounded("explain", "--config-dir", ConfigDir, "--node", Node, "--status", "/dev/urandom"), "--status");
    }

    [Fact]
    public void An_oversized_config_file_is_refused()
    {
        var big = Write("big.json", "{\"nodeName\": \"" + new string('a', 2 * 1024 * 1024) + "\"}");

        AssertRefusedInWords(Bounded("validate-config", "--config-dir", ConfigDir, "--config", big), "more than the 1 MiB allowed");
    }

    [Fact]
    public void A_config_file_that_is_not_utf8_is_refused()
    {
        var path = Path.Combine(_dir.FullName, "latin1.json");
        File.WriteAllBytes(path, [(byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)':', (byte)'1', (byte)'}']);

        AssertRefusedInWords(Bounded("validate-config", "--config-dir", ConfigDir, "--config", path), "not UTF-8");
    }

    [Theory]
    [InlineData("""{"nodeName": "\ud800"}""")]
    [InlineData("""{"\ud800": 1}""")]
    [InlineData("""{"drain": {"timeoutSeconds": 1e400}}""")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void An_odd_config_file_is_refused_in_words(string json)
    {
        AssertRefusedInWords(Bounded("validate-config", "--config-dir", ConfigDir, "--config", Write("odd.json", json)), "odd.json");
    }

    [Theory]
    [InlineData("[]", "the top level is array")]
    [InlineData("null", "the top level is null")]
    [InlineData("""{"kind": 5}""", "\"kind\" is not \"Node\"")]
    [InlineData("""{"kind": "Node", "metadata": []}""", "\"metadata\" is not an object")]
    [InlineData("""{"kind": "Node", "metadata": {"annotations": {"nodedaemon.io/desired-image": "\ud800"}}}""", "state:")]
    [InlineData("""{"kind": "Node", "metadata": {"annotations": []}, "spec": 5}""", "state:")]
    public void An_odd_node_is_read_or_refused_in_words(string json, string expected)
    {
        var result = Bounded("explain", "--config-dir", ConfigDir, "--node", Write("odd-node.json", json), "--status", Status);

        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Output + result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "the top level must be an object")]
    [InlineData("""{"deployments": [null, {"booted": true, "checksum": "abc", "timestamp": 99999999999999}]}""", "state:")]
    [InlineData("""{"deployments": [{"booted": "yes"}]}""", "no deployment is marked \"booted\"")]
    [InlineData("""{"deployments": [{"booted": true, "checksum": "\ud800", "timestamp": 1e400}]}""", "state:")]
    public void An_odd_status_is_read_or_refused_in_words(string json, string expected)
    {
        var result = Bounded("explain", "--config-dir", ConfigDir, "--node", Node, "--status", Write("odd-status.json", json));

        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Output + result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
