using NodeDaemon.Logging;
using Serilog;
using Serilog.Events;

namespace NodeDaemon.Tests.Logging;

public class LoggingSetupTests
{
    [Theory]
    [InlineData(null, LogEventLevel.Information)]
    [InlineData("", LogEventLevel.Information)]
    [InlineData("info", LogEventLevel.Information)]
    [InlineData("debug", LogEventLevel.Debug)]
    [InlineData(" DEBUG ", LogEventLevel.Debug)]
    [InlineData("trace", LogEventLevel.Verbose)]
    [InlineData("nonsense", LogEventLevel.Information)]
    public void Parses_the_log_level(string? value, LogEventLevel level) =>
        Assert.Equal(level, LoggingSetup.ParseMinimumLevel(value));

    [Fact]
    public void Without_a_journal_socket_writes_prefixed_text_from_information_up()
    {
        string dir = Directory.CreateTempSubdirectory("nodedaemon-nojournal-").FullName;
        try
        {
            var fallback = new StringWriter();
            using (var logger = new LoggerConfiguration()
                .ConfigureNodeDaemon(journalSocketPath: Path.Combine(dir, "socket"), fallback: fallback)
                .CreateLogger())
            {
                logger.Debug("hidden");
                logger.Information("Staged {DesiredDigest}", "sha256:abc");
                logger.Warning("slow");
                logger.ForContext("SourceContext", "Microsoft.Extensions.Http").Information("framework chatter");
            }
            Assert.Equal("<6>Staged sha256:abc\n<4>slow\n", fallback.ToString().ReplaceLineEndings("\n"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void With_a_journal_socket_sends_datagrams_and_debug_when_asked()
    {
        using var journal = new JournalSocketListener();
        var fallback = new StringWriter();
        using (var logger = new LoggerConfiguration()
            .ConfigureNodeDaemon(logLevel: "debug", journalSocketPath: journal.SocketPath, fallback: fallback)
            .CreateLogger())
        {
            logger.Verbose("hidden");
            logger.Debug("Polling {Node}", "node-1");
        }

        var fields = NativeJournalParser.ParseText(journal.Receive());
        Assert.Contains(("MESSAGE", "Polling node-1"), fields);
        Assert.Contains(("PRIORITY", "7"), fields);
        Assert.Contains(("NODEDAEMON_NODE", "node-1"), fields);
        Assert.False(journal.HasPending);
        Assert.Equal("", fallback.ToString());
    }
}
