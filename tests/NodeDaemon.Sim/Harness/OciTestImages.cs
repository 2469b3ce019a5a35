using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Harness;

/// <summary>The test images, built once per test process with Debian's <c>buildah</c> and pushed into a template
/// registry storage that every <see cref="OciRegistry"/> starts from (a copy of its files).</summary>
/// <remarks>Built offline from scratch (no base image, no network): <c>buildah --storage-driver vfs from scratch</c>,
/// <c>copy</c> a small file per layer, <c>config --arch --os --label</c>, <c>commit</c>; a multi-arch index with
/// <c>buildah manifest create/add</c> and <c>manifest push --all</c>. buildah's storage lives in a temp dir
/// (<c>--root</c>/<c>--runroot</c>), never in /var/lib/containers, and is removed once the images are pushed. Digests are
/// read back from the registry with <c>skopeo inspect --raw</c>, as a client sees them.</remarks>
public sealed class OciTestImages
{
    /// <summary>The repository every test image is pushed to.</summary>
    public const string Repository = "nodedaemon/os";

    /// <summary>The single-arch (amd64) image's tag.</summary>
    public const string SingleTag = "single";

    /// <summary>The multi-arch index's tag.</summary>
    public const string IndexTag = "multi";

    /// <summary>The single-arch image's version label (what rpm-ostree shows as the deployment's version).</summary>
    public const string SingleVersion = "43.20261205.3.0";

    /// <summary>The index's images' version label.</summary>
    public const string IndexVersion = "43.20261205.3.1";

    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(120);
    private static readonly SemaphoreSlim s_lock = new(1, 1);
    private static OciTestImages? s_built;

    private OciTestImages(string storage, string single, string index, IReadOnlyDictionary<string, string> platforms, TimeSpan buildTime)
    {
        Storage = storage;
        SingleDigest = single;
        IndexDigest = index;
        Platforms = platforms;
        BuildTime = buildTime;
    }

    /// <summary>The template registry storage (the <c>filesystem</c> driver's root directory).</summary>
    public string Storage { get; }

    /// <summary>The single-arch image's manifest digest.</summary>
    public string SingleDigest { get; }

    /// <summary>The index's digest.</summary>
    public string IndexDigest { get; }

    /// <summary>The index's platform manifests by architecture (<c>amd64</c>, <c>arm64</c>).</summary>
    public IReadOnlyDictionary<string, string> Platforms { get; }

    /// <summary>How long building and pushing took (once per process).</summary>
    public TimeSpan BuildTime { get; }

    /// <summary>The images, built on the first call and cached for the rest of the process.</summary>
    public static async Task<OciTestImages> GetAsync()
    {
        await s_lock.WaitAsync().ConfigureAwait(false);
        try
        {
            return s_built ??= await BuildAsync().ConfigureAwait(false);
        }
        finally
        {
            s_lock.Release();
        }
    }

    private static async Task<OciTestImages> BuildAsync()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var template = TemplateDirectory();
        using var build = new TempDirectory("nodedaemon-buildah-");
        await using var registry = await OciRegistry.StartAsync(template, copyStorage: false).ConfigureAwait(false);
        var buildah = new Buildah(build);
        var authFile = registry.WriteAuthFile(build.File("auth.json"), valid: true);
        var target = $"docker://{registry.Host}/{Repository}";

        await buildah.ImageAsync("single", "amd64", SingleVersion, layers: 3).ConfigureAwait(false);
        await buildah.RunAsync("push", "--authfile", authFile, "--tls-verify=false", "single", $"{target}:{SingleTag}").ConfigureAwait(false);

        await buildah.ImageAsync("index-amd64", "amd64", IndexVersion, layers: 3).ConfigureAwait(false);
        await buildah.ImageAsync("index-arm64", "arm64", IndexVersion, layers: 1).ConfigureAwait(false);
        await buildah.RunAsync("manifest", "create", "os-list").ConfigureAwait(false);
        await buildah.RunAsync("manifest", "add", "os-list", "index-amd64").ConfigureAwait(false);
        await buildah.RunAsync("manifest", "add", "os-list", "index-arm64").ConfigureAwait(false);
        await buildah.RunAsync("manifest", "push", "--all", "--authfile", authFile, "--tls-verify=false", "os-list", $"{target}:{IndexTag}").ConfigureAwait(false);

        var single = Skopeo.ManifestDigest(await Skopeo.RawAsync(authFile, $"{target}:{SingleTag}").ConfigureAwait(false));
        var rawIndex = await Skopeo.RawAsync(authFile, $"{target}:{IndexTag}").ConfigureAwait(false);
        var platforms = new Dictionary<string, string>();
        foreach (var entry in JsonNode.Parse(rawIndex)!["manifests"]!.AsArray())
        {
            platforms[(string)entry!["platform"]!["architecture"]!] = (string)entry["digest"]!;
        }

        return new OciTestImages(template, single, Skopeo.ManifestDigest(rawIndex), platforms, started.Elapsed);
    }

    /// <summary>The template's directory, kept for the whole process (every registry copies it): named after the process,
    /// so a later run removes those of processes that are gone (a test host is often killed, not exited).</summary>
    private static string TemplateDirectory()
    {
        const string prefix = "nodedaemon-oci-images-";
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(stale)[prefix.Length..], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        var path = Path.Combine(Path.GetTempPath(), prefix + Environment.ProcessId);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(path, recursive: true);
        return path;
    }

    /// <summary>buildah with its storage in a temp dir (vfs: no overlay mounts needed).</summary>
    private sealed class Buildah(TempDirectory dir)
    {
        public async Task<string> RunAsync(params string[] args)
        {
            string[] global = ["--root", dir.File("root"), "--runroot", dir.File("runroot"), "--storage-driver", "vfs"];
            var result = await Tool.RunAsync("buildah", [.. global, .. args], s_toolTimeout).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"buildah {string.Join(' ', args)}: exit {result.ExitCode}: {result.StandardError.Trim()}");
            }

            return result.StandardOutput.Trim();
        }

        /// <summary>An image from scratch, one small file per layer, committed as <paramref name="name"/>.</summary>
        public async Task ImageAsync(string name, string arch, string version, int layers)
        {
            var from = "scratch";
            for (var layer = 1; layer <= layers; layer++)
            {
                var file = dir.File($"{name}-{layer}.txt");
                await File.WriteAllTextAsync(file, $"nodedaemon test image {name} ({arch}, {version}), layer {layer}\n").ConfigureAwait(false);
                var container = await RunAsync("from", from).ConfigureAwait(false);
                await RunAsync("copy", container, file, $"/usr/share/nodedaemon/layer-{layer}.txt").ConfigureAwait(false);
                await RunAsync("config", "--arch", arch, "--os", "linux", "--label", $"org.opencontainers.image.version={version}", container).ConfigureAwait(false);
                var image = layer == layers ? name : $"{name}-layer{layer}";
                await RunAsync("commit", "-q", container, image).ConfigureAwait(false);
                await RunAsync("rm", container).ConfigureAwait(false);
                from = image;
            }
        }
    }
}
