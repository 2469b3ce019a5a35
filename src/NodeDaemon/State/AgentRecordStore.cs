using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;

namespace NodeDaemon.State;

/// <summary>Keeps the agent's <see cref="AgentRecord"/> in one small file that survives crashes and reboots.</summary>
/// <remarks>
/// Written the way a power cut cannot tear: a temporary file in the same directory, fsync, rename over the old
/// one. A file that cannot be read back is moved aside (kept for a human) and the agent
/// starts from empty notes; the node and host still say where things stand, and the notes it loses are the
/// retry counts, so it is logged as an error.
/// </remarks>
public sealed partial class AgentRecordStore(string directory, TimeProvider time, ILogger<AgentRecordStore> logger)
{
    /// <summary>The file name inside the state directory.</summary>
    public const string FileName = "agent-record.json";

    /// <summary>The full path of the state file.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>Reads the record; empty when there is no file, or when the file is unreadable (then moved aside).</summary>
    public AgentRecord Load()
    {
        byte[] content;
        try
        {
            content = ReadCapped(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return AgentRecord.Empty;
        }

        try
        {
            if (content.Length > MaxBytes)
            {
                throw new FormatException($"larger than {MaxBytes} bytes");
            }

            var document = JsonSerializer.Deserialize(content, AgentRecordJsonContext.Default.AgentRecordDocument)
                ?? throw new FormatException("the file holds null");
            return document.ToRecord();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            var aside = $"{Path}.corrupt-{time.GetUtcNow().ToUnixTimeSeconds()}";
            try
            {
                File.Move(Path, aside, overwrite: true);
            }
            catch (Exception moving) when (moving is IOException or UnauthorizedAccessException)
            {
                // Kept where it is: the next save replaces it.
                aside = $"nowhere ({moving.Message})";
            }

            LogCorrupt(Path, e.Message, aside);
            return AgentRecord.Empty;
        }
    }

    /// <summary>The largest state file read; the real one is well under a kilobyte, and a bigger one is not ours.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Reads at most one byte more than <see cref="MaxBytes"/>, so that a huge file costs no memory.</summary>
    private static byte[] ReadCapped(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[MaxBytes + 1];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Writes <paramref name="record"/> durably (temp file, fsync, rename, fsync of the directory).</summary>
    public void Save(AgentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Directory.CreateDirectory(directory);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(AgentRecordDocument.From(record), AgentRecordJsonContext.Default.AgentRecordDocument);
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        // The directory is not fsynced (.NET cannot open a directory handle without P/Invoke): a power cut right
        // after the rename may bring back the previous notes, never a torn file. The one write that matters most,
        // the reboot request, is followed by a clean shutdown, which syncs the file systems.
        File.Move(temporary, Path, overwrite: true);
    }
}
