using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Harness;

/// <summary>A real OCI registry on loopback: Debian's <c>docker-registry serve</c> (distribution 2.8) with htpasswd
/// (bcrypt) auth and its storage in a temp dir; stopped and started again at will (a registry that goes away).</summary>
/// <remarks>Plain http on 127.0.0.1 (containers/image talks http to it with <c>--tls-verify=false</c>, as ostree-ext passes
/// it). The htpasswd file is written by apache2-utils' <c>htpasswd -B</c>, the format distribution's htpasswd
/// authenticator reads (bcrypt only). Dispose kills the process and deletes the directory.</remarks>
public sealed class OciRegistry : IAsyncDisposable
{
    /// <summary>The user the registry knows.</summary>
    public const string User = "nodedaemon";

    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(15);
    private static readonly string s_password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private readonly TempDirectory _dir;
    private readonly string _config;
    private Process? _process;

    private OciRegistry(TempDirectory dir, string config, int port)
    {
        _dir = dir;
        _config = config;
        Host = $"127.0.0.1:{port}";
    }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of a pullspec.</summary>
    public string Host { get; }

    /// <summary>Whether the registry process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A registry holding the test images (<see cref="OciTestImages"/>, built once per process).</summary>
    public static async Task<OciRegistry> StartWithTestImagesAsync() =>
        await StartAsync((await OciTestImages.GetAsync().ConfigureAwait(false)).Storage, copyStorage: true).ConfigureAwait(false);

    /// <summary>Starts a registry on a free loopback port serving <paramref name="storage"/> (a copy of it when
    /// <paramref name="copyStorage"/>), and waits (bounded) until it answers.</summary>
    public static async Task<OciRegistry> StartAsync(string storage, bool copyStorage)
    {
        var dir = new TempDirectory("nodedaemon-registry-");
        OciRegistry? registry = null;
        try
        {
            var root = storage;
            if (copyStorage)
            {
                root = dir.File("storage");
                CopyTree(storage, root);
            }

            var htpasswd = await Tool.RunAsync("htpasswd", ["-Bbn", User, s_password], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (htpasswd.ExitCode != 0)
            {
                throw new InvalidOperationException($"htpasswd -B: exit {htpasswd.ExitCode}: {htpasswd.StandardError.Trim()}");
            }

            await File.WriteAllTextAsync(dir.File("htpasswd"), htpasswd.StandardOutput).ConfigureAwait(false);
            var port = FreePort();
            var config = dir.File("config.yml");
            await File.WriteAllTextAsync(config, Config(root, port, dir.File("htpasswd"))).ConfigureAwait(false);
            registry = new OciRegistry(dir, config, port);
            await registry.StartAsync().ConfigureAwait(false);
            return registry;
        }
        catch
        {
            if (registry is not null)
            {
                await registry.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                dir.Dispose();
            }

            throw;
        }
    }

    /// <summary>Starts the process again (after <see cref="Stop"/>) on the same port and storage; waits until it answers.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        _process?.Dispose();
        _process = Process.Start(Tool.StartInfo("docker-registry", ["serve", _config]))
            ?? throw new InvalidOperationException("could not start docker-registry");
        var stderr = _process.StandardError.ReadToEndAsync();
        _ = _process.StandardOutput.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = Stopwatch.StartNew();
        while (until.Elapsed < s_readyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
            }

            try
            {
                // Without credentials the API root answers 401 once the registry serves: that is ready.
                using var response = await http.GetAsync(new Uri($"http://{Host}/v2/")).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A slow answer under load: ask again.
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        Stop();
        throw new TimeoutException($"docker-registry did not answer on {Host} within {s_readyTimeout}");
    }

    /// <summary>Kills the registry process (a registry that goes away; connections are refused until <see cref="StartAsync()"/>).</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Writes a containers-auth.json (<c>{"auths": {host: {"auth": base64(user:password)}}}</c>) with the
    /// registry's credentials, or wrong ones when not <paramref name="valid"/>; returns the path.</summary>
    public string WriteAuthFile(string path, bool valid)
    {
        var password = valid ? s_password : "wrong-" + s_password;
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}"));
        File.WriteAllText(path, new JsonObject
        {
            ["auths"] = new JsonObject { [Host] = new JsonObject { ["auth"] = auth } },
        }.ToJsonString());
        return path;
    }

    /// <summary>The <c>real-registry</c> section of the simulator's registry file: pullspecs on this registry are pulled
    /// for real, through skopeo's image proxy, with <paramref name="authFile"/> (the host's /run/ostree/auth.json).</summary>
    public JsonObject SimulatorSection(string authFile) => new()
    {
        ["hosts"] = new JsonArray(Host),
        ["authfile"] = authFile,
        ["tls-verify"] = false,
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Stop();
        _process?.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    // distribution's configuration (docs/configuration.md): filesystem storage, htpasswd auth, errors only in the log.
    private static string Config(string storage, int port, string htpasswd) => $"""
        version: 0.1
        log:
          level: error
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: {storage}
        http:
          addr: 127.0.0.1:{port}
        auth:
          htpasswd:
            realm: nodedaemon-sim
            path: {htpasswd}
        """;
}
