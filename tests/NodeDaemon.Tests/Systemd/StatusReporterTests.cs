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
}
