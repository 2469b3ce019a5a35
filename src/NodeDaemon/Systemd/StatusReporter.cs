using Microsoft.Extensions.Hosting.Systemd;

namespace NodeDaemon.Systemd;

/// <summary>Puts the agent's phase and latest message on the systemd STATUS line (what <c>systemctl status</c> shows).</summary>
public sealed class StatusReporter(ISystemdNotifier notifier)
{
    private string? _last;

    /// <summary>Reports <paramref name="phase"/> and <paramref name="message"/>; repeats are not sent again.</summary>
    public void Report(string phase, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // STATUS is one line: a newline would end the field and start a bogus one.
        var line = $"{phase}: {message.ReplaceLineEndings(" ")}";
        if (line == _last || !notifier.IsEnabled)
        {
            return;
        }

        _last = line;
        notifier.Notify(new ServiceState("STATUS=" + line));
    }
}
