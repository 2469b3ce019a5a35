namespace NodeDaemon.Core.Options;

/// <summary>The syntax of <c>health.kubeletHealthz</c>: empty (check off) or an absolute <c>http</c>/<c>https</c> URL.</summary>
public static class KubeletHealthzUrl
{
    /// <summary>Parses the option; empty gives a null <paramref name="url"/>, which turns the check off.</summary>
    public static bool TryParse(string text, out Uri? url, out string? problem)
    {
        url = null;
        problem = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (text.Any(char.IsControl)
            || !Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https")
            || parsed.Host.Length == 0)
        {
            problem = $"must be empty or an http URL like \"{NodeDaemonOptionsDefaults.KubeletHealthzUrl}\", got {ValueText.Quote(text)}";
            return false;
        }

        if (parsed.UserInfo.Length > 0)
        {
            // The kubelet's healthz takes no credentials, and a password here would be echoed in logs.
            problem = $"must not carry user information, got a URL with \"{parsed.Scheme}://...@\"";
            return false;
        }

        url = parsed;
        return true;
    }
}
