using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>Log messages of <see cref="TokenRotator"/>; the token itself is never logged.</summary>
internal sealed partial class TokenRotator
{
    [LoggerMessage((int)LogEventId.TokenRotated, LogLevel.Information,
        "Rotated the API token ({Identity}): it expires at {ExpiresAt:O}; the next rotation is at {RotateAt:O}")]
    private partial void LogRotated(string identity, DateTimeOffset expiresAt, DateTimeOffset rotateAt);

    [LoggerMessage((int)LogEventId.TokenRotationFailed, LogLevel.Warning,
        "Rotating the API token failed (attempt {Attempt}): {Problem}; the current token is valid until {ExpiresAt:O}; trying again in {RetryIn}")]
    private partial void LogFailed(int attempt, string problem, DateTimeOffset expiresAt, TimeSpan retryIn);

    [LoggerMessage((int)LogEventId.TokenExpired, LogLevel.Error,
        "The API token ({Identity}) expired at {ExpiresAt:O} before it could be rotated: the API server refuses every request made with it, " +
        "a TokenRequest included. Install a new bootstrap token for this node and restart the daemon (docs/install.md)")]
    private partial void LogExpired(string identity, DateTimeOffset expiresAt);

    [LoggerMessage((int)LogEventId.TokenNotKept, LogLevel.Warning,
        "Cannot keep the rotated API token in {Path}: {Problem}; it is in use, but a restart falls back to an older token")]
    private partial void LogNotKept(string path, string problem);
}
