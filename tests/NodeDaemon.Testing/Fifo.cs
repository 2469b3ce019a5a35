using System.Diagnostics;

namespace NodeDaemon.Tests.Shared;

/// <summary>Makes a FIFO (named pipe) with coreutils' <c>mkfifo</c>: the file that hangs a reader no writer ever comes to.</summary>
public static class Fifo
{
    /// <summary>Creates a FIFO at <paramref name="path"/> and returns the path; throws when mkfifo fails or does not finish in 10 s.</summary>
    public static string Create(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        if (!mkfifo.WaitForExit(TimeSpan.FromSeconds(10)) || mkfifo.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo {path} did not succeed");
        }

        return path;
    }
}
