namespace NodeDaemon.Packaging.Tests.Support;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    /// <summary>Creates <c>/tmp/nodedaemon-packaging-&lt;random&gt;</c>.</summary>
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("nodedaemon-packaging-").FullName;

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the directory.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
