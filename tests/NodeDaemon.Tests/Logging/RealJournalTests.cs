using System.Text;
using System.Text.Json;
using NodeDaemon.Logging;
using Serilog;

namespace NodeDaemon.Tests.Logging;

/// <summary>What the sink sends must be what journald stores: the datagrams go through systemd's own tools.</summary>
public class RealJournalTests
{
    private static readonly TimeSpan _toolTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Journalctl_reads_back_what_the_sink_sent()
    {
        // Fail, not skip, when the tools are missing: this is the sink's only check against the real thing.
        string journalRemote = JournalTools.JournalRemote();
        string journalctl = JournalTools.Journalctl();
        using var journal = new JournalSocketListener();
        string reason = "pull failed: 503\nretrying in 5 s";
        var error = new InvalidOperationException("transaction busy");

        using (var sink = new JournaldSink(new JournaldSinkOptions { SocketPath = journal.SocketPath }))
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger())
        {
            logger.Information("Staging {DesiredDigest}", "sha256:0123abcd");
            logger.Warning("Pull of {DesiredDigest} failed: {Reason}", "sha256:0123abcd", reason);
            logger.Error(error, "Giving up on {DesiredDigest}", "sha256:0123abcd");
            Assert.Equal(3, sink.SentEntries);
        }
        var entries = Enumerable.Range(0, 3).Select(_ => NativeJournalParser.Parse(journal.Receive())).ToList();

        // The export format is the native serialization plus address fields, entries split by empty lines.
        byte[] export = JournalExportWriter.Write(entries, DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000));
        string journalFile = Path.Combine(journal.TempDir, "nodedaemon.journal");
        var written = await ProcessRunner.RunAsync(journalRemote, ["--output=" + journalFile, "--compress=no", "-"], export, _toolTimeout);
        Assert.True(written.ExitCode == 0, $"systemd-journal-remote exited {written.ExitCode}: {written.Stderr}");

        var read = await ProcessRunner.RunAsync(journalctl, ["--file=" + journalFile, "--output=json", "--all", "--no-pager"], null, _toolTimeout);
        Assert.True(read.ExitCode == 0, $"journalctl exited {read.ExitCode}: {read.Stderr}");
        var stored = read.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseJsonEntry).ToList();

        Assert.Equal(3, stored.Count);
        Assert.All(stored, e =>
        {
            Assert.Equal("nodedaemon", e["SYSLOG_IDENTIFIER"]);
            Assert.Equal("sha256:0123abcd", e["NODEDAEMON_DESIRED_DIGEST"]);
        });
        Assert.Equal(("Staging sha256:0123abcd", "6"), (stored[0]["MESSAGE"], stored[0]["PRIORITY"]));
        Assert.Equal(($"Pull of sha256:0123abcd failed: {reason}", "4"), (stored[1]["MESSAGE"], stored[1]["PRIORITY"]));
        Assert.Equal(reason, stored[1]["NODEDAEMON_REASON"]);
        Assert.Equal(("Giving up on sha256:0123abcd\n" + error, "3"), (stored[2]["MESSAGE"], stored[2]["PRIORITY"]));
        Assert.Equal("System.InvalidOperationException", stored[2]["NODEDAEMON_EXCEPTION_TYPE"]);
    }

    // journalctl -o json writes text values as strings and anything else as an array of byte values.
    private static Dictionary<string, string> ParseJsonEntry(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.Array
                ? Encoding.UTF8.GetString([.. p.Value.EnumerateArray().Select(b => b.GetByte())])
                : p.Value.GetString() ?? "");
    }
}
