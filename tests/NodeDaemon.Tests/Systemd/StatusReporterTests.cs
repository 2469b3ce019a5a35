using NodeDaemon.Systemd;

namespace NodeDaemon.Tests.Systemd;

/// <summary>STATUS lines: one line each, repeats not sent.</summary>
public sealed class StatusReporterTests
{
    [Fact]
    public void Sends_each_new_status_once_on_one_line()
    {
        var notifier = new RecordingNotifier();
        var status = new StatusReporter(notifier);

        status.Report("Staging", "pulling 3/7 layers");
        status.Report("Staging", "pulling 3/7 layers");
        status.Report("Degraded", "pull failed:\nmanifest unknown");

        Assert.Equal(["STATUS=Staging: pulling 3/7 layers", "STATUS=Degraded: pull failed: manifest unknown"], notifier.Sent);
    }

    [Fact]
    public void Sends_nothing_outside_systemd()
    {
        var notifier = new RecordingNotifier(enabled: false);

        new StatusReporter(notifier).Report("Idle", "up to date");

        Assert.Empty(notifier.Sent);
    }

    [Fact]
    public void Server_text_on_the_world_readable_line_is_cleaned()
    {
        var notifier = new RecordingNotifier();

        new StatusReporter(notifier).Report("Degraded", "PATCH node: echoed Authorization: Bearer abc.def\r\nX-Forged: 1 " + new string('x', 2000));

        var line = Assert.Single(notifier.Sent);
        Assert.DoesNotContain("abc.def", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\n', line);
        Assert.True(line.Length <= "STATUS=".Length + Core.Text.ServerText.MaxCharacters, line);
    }
}
