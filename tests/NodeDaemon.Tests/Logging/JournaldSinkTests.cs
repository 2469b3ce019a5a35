using System.Globalization;
using Microsoft.Extensions.Logging;
using NodeDaemon.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace NodeDaemon.Tests.Logging;

public sealed partial class JournaldSinkTests : IDisposable
{
    private readonly JournalSocketListener _journal = new();

    public void Dispose() => _journal.Dispose();

    private JournaldSink NewSink(TextWriter? fallback = null, int maxEntryBytes = JournaldSinkDefaults.MaxEntryBytes) =>
        new(new JournaldSinkOptions { SocketPath = _journal.SocketPath, Fallback = fallback, MaxEntryBytes = maxEntryBytes });

    private static Serilog.Core.Logger NewLogger(JournaldSink sink) =>
        new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();

    [Fact]
    public void Sends_message_priority_identifier_and_properties_as_fields()
    {
        using var sink = NewSink();
        using var logger = NewLogger(sink);

        logger.ForContext("SourceContext", "NodeDaemon.Agent")
            .ForContext("my.odd-name", 42)
            .ForContext("Layers", new[] { "a", "b" })
            .Warning("Staging {DesiredDigest}: {Reason} ready={Ready} ratio={Ratio} gone={Gone}",
                "sha256:abc", "pull failed\nsecond line", true, 0.5, null);

        byte[] datagram = _journal.Receive();
        Assert.Equal(
            [
                ("MESSAGE", "Staging sha256:abc: pull failed\nsecond line ready=true ratio=0.5 gone=null"),
                ("NODEDAEMON_DESIRED_DIGEST", "sha256:abc"),
                ("NODEDAEMON_GONE", ""),
                ("NODEDAEMON_LAYERS", "[\"a\",\"b\"]"),
                ("NODEDAEMON_MY_ODD_NAME", "42"),
                ("NODEDAEMON_RATIO", "0.5"),
                ("NODEDAEMON_READY", "true"),
                ("NODEDAEMON_REASON", "pull failed\nsecond line"),
                ("NODEDAEMON_SOURCE_CONTEXT", "NodeDaemon.Agent"),
                ("PRIORITY", "4"),
                ("SYSLOG_IDENTIFIER", "nodedaemon"),
            ],
            NativeJournalParser.ParseText(datagram));
        Assert.True(NativeJournalParser.UsesBinaryForm(datagram, "NODEDAEMON_REASON"));
        Assert.True(NativeJournalParser.UsesBinaryForm(datagram, "MESSAGE"));
        Assert.False(NativeJournalParser.UsesBinaryForm(datagram, "NODEDAEMON_DESIRED_DIGEST"));
        Assert.Equal(1, sink.SentEntries);
        Assert.Equal(0, sink.FailedSends);
    }

    [Fact]
    public void Appends_the_exception_to_the_message_and_names_its_type()
    {
        using var sink = NewSink();
        using var logger = NewLogger(sink);
        var error = Thrown(new InvalidOperationException("transaction busy"));

        logger.Error(error, "Rebase of {DesiredDigest} failed", "sha256:abc");

        Assert.Equal(
            [
                ("MESSAGE", "Rebase of sha256:abc failed\n" + error),
                ("NODEDAEMON_DESIRED_DIGEST", "sha256:abc"),
                ("NODEDAEMON_EXCEPTION_TYPE", "System.InvalidOperationException"),
                ("PRIORITY", "3"),
                ("SYSLOG_IDENTIFIER", "nodedaemon"),
            ],
            NativeJournalParser.ParseText(_journal.Receive()));
    }

    [Fact]
    public void Turns_a_LoggerMessage_event_id_into_two_fields()
    {
        using var sink = NewSink();
        using var serilog = NewLogger(sink);
        using var factory = new SerilogLoggerFactory(serilog);

        var agentLogger = factory.CreateLogger("NodeDaemon.Agent");

        StageStarted(agentLogger, "sha256:abc", 7);

        Assert.Equal(
            [
                ("MESSAGE", "Staging sha256:abc (7 layers)"),
                ("NODEDAEMON_DESIRED_DIGEST", "sha256:abc"),
                ("NODEDAEMON_EVENT_ID", "12"),
                ("NODEDAEMON_EVENT_NAME", "StageStarted"),
                ("NODEDAEMON_LAYER_COUNT", "7"),
                ("NODEDAEMON_SOURCE_CONTEXT", "NodeDaemon.Agent"),
                ("PRIORITY", "6"),
                ("SYSLOG_IDENTIFIER", "nodedaemon"),
            ],
            NativeJournalParser.ParseText(_journal.Receive()));
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Staging {DesiredDigest} ({LayerCount} layers)")]
    private static partial void StageStarted(Microsoft.Extensions.Logging.ILogger logger, string desiredDigest, int layerCount);

    [Fact]
    public void Truncates_an_oversized_entry_to_the_bound()
    {
        using var sink = NewSink();
        using var logger = NewLogger(sink);
        string huge = string.Concat(Enumerable.Repeat("é", 150_000)); // 300,000 bytes

        logger.Information("{Output} from {DesiredDigest}", huge, "sha256:abc");

        byte[] datagram = _journal.Receive();
        Assert.InRange(datagram.Length, JournaldSinkDefaults.MaxEntryBytes - 64, JournaldSinkDefaults.MaxEntryBytes);
        var fields = NativeJournalParser.ParseText(datagram);
        Assert.EndsWith("[truncated, 300000 bytes in all]", fields.Single(f => f.Name == "NODEDAEMON_OUTPUT").Value, StringComparison.Ordinal);
        Assert.EndsWith("[truncated, 300016 bytes in all]", fields.Single(f => f.Name == "MESSAGE").Value, StringComparison.Ordinal);
        Assert.Contains(("NODEDAEMON_DESIRED_DIGEST", "sha256:abc"), fields);
        Assert.Equal(0, sink.FailedSends);
    }

    [Fact]
    public void A_datagram_the_kernel_refuses_goes_to_the_fallback()
    {
        // Larger than the default socket send buffer, so the kernel answers EMSGSIZE.
        int sendBuffer = int.Parse(File.ReadAllText("/proc/sys/net/core/wmem_default").Trim(), CultureInfo.InvariantCulture);
        var fallback = new StringWriter();
        using var sink = NewSink(fallback, maxEntryBytes: 4 * sendBuffer);
        using var logger = NewLogger(sink);

        logger.Information("big {Output}", new string('x', sendBuffer + 65536));

        Assert.Equal(1, sink.FailedSends);
        Assert.Equal(0, sink.SentEntries);
        string[] lines = fallback.ToString().Split('\n');
        Assert.StartsWith($"<4>journald sink: sending to {_journal.SocketPath} failed (MessageSize)", lines[0], StringComparison.Ordinal);
        Assert.Equal("<6>big " + new string('x', sendBuffer + 65536), lines[1]);
        Assert.False(_journal.HasPending);
    }

    [Fact]
    public void Without_a_socket_every_entry_reaches_the_fallback_with_its_priority()
    {
        var fallback = new StringWriter();
        using var sink = new JournaldSink(new JournaldSinkOptions
        {
            SocketPath = Path.Combine(_journal.TempDir, "missing"),
            Fallback = fallback,
        });
        using var logger = NewLogger(sink);

        logger.Information("hello {Name}", "node-1");
        logger.Error(Thrown(new IOException("disk")), "boom");

        Assert.Equal(2, sink.FailedSends);
        Assert.Equal(0, sink.SentEntries);
        string text = fallback.ToString();
        Assert.StartsWith("<4>journald sink: sending to " + Path.Combine(_journal.TempDir, "missing") + " failed (", text, StringComparison.Ordinal);
        Assert.Contains("\n<6>hello node-1\n<3>boom\nSystem.IO.IOException: disk\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_after_dispose_falls_back_instead_of_throwing()
    {
        var fallback = new StringWriter();
        var sink = NewSink(fallback);
        using var logger = NewLogger(sink);
        sink.Dispose();

        logger.Information("late");

        Assert.Equal(1, sink.FailedSends);
        Assert.EndsWith("<6>late\n", fallback.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_all_reported_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new JournaldSink(new JournaldSinkOptions
        {
            SyslogIdentifier = "",
            FieldPrefix = "bad-",
            MaxEntryBytes = 10,
        }));
        Assert.Contains("SyslogIdentifier", error.Message, StringComparison.Ordinal);
        Assert.Contains("FieldPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxEntryBytes", error.Message, StringComparison.Ordinal);
    }

    private static T Thrown<T>(T exception) where T : Exception
    {
        try
        {
            throw exception;
        }
        catch (T caught)
        {
            return caught;
        }
    }
}
