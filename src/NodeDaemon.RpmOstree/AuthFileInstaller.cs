using System.Text.Json;
using NodeDaemon.Core.Files;
using NodeDaemon.Core.Host;

namespace NodeDaemon.RpmOstree;

/// <summary>Makes rpm-ostree see the registry credentials: copies the pull secret to <c>/run/ostree/auth.json</c>.</summary>
/// <remarks>rpm-ostree (through containers-image) reads its credentials from that fixed path. The copy is
/// validated first (a broken file is reported, never installed over a working one), written with mode 0600 and
/// renamed into place so a pull never sees half a file. Nothing of the content is ever logged or echoed.</remarks>
public sealed class AuthFileInstaller(string source, string destination = AuthFileInstaller.RpmOstreeAuthPath, bool sourceIsDefault = false)
{
    /// <summary>Where rpm-ostree looks for registry credentials at run time.</summary>
    public const string RpmOstreeAuthPath = "/run/ostree/auth.json";

    /// <summary>The largest pull secret read; a cluster-wide one with dozens of registries is a few kilobytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Installs the credentials; returns what happened, throws <see cref="HostException"/> for a broken file.</summary>
    public AuthFileResult Install()
    {
        if (source.Length == 0)
        {
            // Credentials switched off: a copy an earlier run installed would still authenticate every pull.
            return Remove() ? AuthFileResult.Removed : AuthFileResult.Disabled;
        }

        byte[] content;
        try
        {
            // A FIFO or /dev/zero named here would hang the start or exhaust memory: only a bounded regular file is read.
            content = RegularFile.ReadBytes(source, MaxBytes);
        }
        catch (FileNotFoundException) when (sourceIsDefault)
        {
            // The kubelet has no pull secret on this node: public images need none.
            return AuthFileResult.NoSource;
        }
        catch (IOException e)
        {
            throw new HostException($"registry credentials {source} cannot be read: {e.Message}", e);
        }

        Validate(content);
        if (File.Exists(destination) && File.ReadAllBytes(destination).AsSpan().SequenceEqual(content))
        {
            return AuthFileResult.Unchanged;
        }

        WriteAtomically(content);
        return AuthFileResult.Installed;
    }

    private bool Remove()
    {
        try
        {
            if (!File.Exists(destination))
            {
                return false;
            }

            File.Delete(destination);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostException($"registry credentials at {destination} could not be removed (authFile is empty): {e.Message}", e);
        }
    }

    private void Validate(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HostException($"registry credentials {source} are not a JSON object; not installed");
            }
        }
        catch (JsonException e)
        {
            // Only the position: the parser's own message can quote a character of the secret.
            throw new HostException(
                $"registry credentials {source} are not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}); not installed");
        }
    }

    private void WriteAtomically(byte[] content)
    {
        var directory = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, destination, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new HostException($"registry credentials could not be installed at {destination}: {e.Message}", e);
        }
    }
}
