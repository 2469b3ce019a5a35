using Microsoft.Extensions.Hosting.Systemd;
using NodeDaemon.Core.Text;

namespace NodeDaemon.Systemd;

/// <summary>Puts the agent's phase and latest message on the systemd STATUS line (what <c>systemctl status</c> shows).</summary>
public sealed class StatusReporter(ISystemdNotifier notifier)
{
    private string? _last;

    /// <summary>Reports <paramref name="phase"/> and <paramref name="message"/>; repeats are not sent again.</summary>
    public void Report(string phase, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // STATUS is one line that any local user can read (systemctl status): a newline would end the field and start
        // a bogus one, and a message may carry server text, so it is cleaned here too (credentials, control characters, length).
        var line = ServerText.Clean($"{phase}: {message}");
        if (line == _last || !notifier.IsEnabled)
        {
            return;
        }

        _last = line;
        notifier.Notify(new ServiceState("STATUS=" + line));
    }
}
