using NodeDaemon.Core.Files;

namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>The rotated token on disk, in the daemon's state directory, so that a restart does not fall back to the
/// (older, maybe expired) bootstrap token of the kubeconfig.</summary>
/// <remarks>Mode 0600 from creation (never readable by others, not even briefly), written to a temporary file, flushed
/// and renamed over the old one: a crash leaves the old token or the new one, never a torn one.</remarks>
/// <param name="directory">The state directory (<c>stateDirectory</c>, /var/lib/nodedaemon).</param>
public sealed class TokenStore(string directory)
{
    /// <summary>The file's name in the state directory.</summary>
    public const string FileName = "service-account-token";

    /// <summary>The file.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The stored token; null when there is none. A file that is not a service-account token is an <see cref="IOException"/>.</summary>
    /// <exception cref="IOException">The file cannot be read, is not a regular file, is too large, or holds no token with a life.</exception>
    public ServiceAccountToken? Load()
    {
        string text;
        try
        {
            text = RegularFile.ReadText(Path, ServiceAccountToken.MaxLength);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        return ServiceAccountToken.TryParse(text.Trim()) ?? throw new IOException("it holds no service-account token with iat and exp claims");
    }

    /// <summary>Replaces the stored token with <paramref name="token"/>.</summary>
    /// <exception cref="IOException">The directory or file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not the daemon's to write.</exception>
    public void Save(ServiceAccountToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        // A temporary file left by a crash keeps the mode it was made with: removed, so the token only ever lands in a 0600 file of our own.
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(token.Value + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
