using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>Log messages of <see cref="NodeCredentials"/>.</summary>
public sealed partial class NodeCredentials
{
    /// <summary>The start's log lines; the token itself is never logged.</summary>
    private sealed partial class Log(ILogger logger)
    {
        [LoggerMessage((int)LogEventId.CredentialsLoaded, LogLevel.Information,
            "Authenticating as {Identity} with the token from {From}, issued {IssuedAt:O}, expiring {ExpiresAt:O}; it is rotated at {RotateAt:O}")]
        public partial void Loaded(string identity, string from, DateTimeOffset issuedAt, DateTimeOffset expiresAt, DateTimeOffset rotateAt);

        [LoggerMessage((int)LogEventId.CredentialsNotRotated, LogLevel.Warning,
            "The kubeconfig's credential is used as it is and never rotated: {Why}; a per-node identity is a node-bound service-account token (docs/install.md)")]
        public partial void NotRotated(string why);

        [LoggerMessage((int)LogEventId.TokenNotKept, LogLevel.Warning,
            "The rotated API token in {Path} is not used: {Problem}")]
        public partial void StoredNotUsed(string path, string problem);
    }
}
