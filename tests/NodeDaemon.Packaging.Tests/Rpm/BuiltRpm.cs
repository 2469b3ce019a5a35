using NodeDaemon.Packaging.Tests.Support;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Rpm;

/// <summary>The RPM built once per test class by <c>packaging/build-rpm.sh</c>, around a stand-in for the AOT binary.</summary>
/// <remarks>The stand-in is a copy of /usr/bin/true: a real ELF executable, so rpmbuild's strip and dependency scan
/// do their usual work, without waiting minutes for <c>./build.sh publish</c>.</remarks>
public sealed class BuiltRpm : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <summary>The built package.</summary>
    public string Path { get; private set; } = "";

    /// <summary><c>rpm</c> on PATH.</summary>
    public static string RpmTool { get; } = Tool.OnPath("rpm");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var stub = _temp.Combine("nodedaemon");
        File.Copy("/usr/bin/true", stub);
        var outdir = _temp.Combine("out");
        var script = System.IO.Path.Combine(RepositoryPaths.Root, "packaging", "build-rpm.sh");
        (await Tool.RunAsync(Tool.OnPath("bash"), script, stub, _temp.Combine("rpmbuild"), outdir)).EnsureSuccess();
        Path = Assert.Single(Directory.GetFiles(outdir, "nodedaemon-*.x86_64.rpm"));
    }

    /// <summary>Runs <c>rpm -qp ARGS PACKAGE</c> and returns its output.</summary>
    public async Task<string> QueryAsync(params string[] args)
    {
        var result = await Tool.RunAsync(RpmTool, ["-qp", .. args, Path]);
        return result.EnsureSuccess().Stdout;
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Deletes the build tree and the package (xunit calls it after <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => _temp.Dispose();
}
