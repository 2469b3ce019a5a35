using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Handlers;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>
/// A loopback kube-apiserver stand-in over real HTTPS with HTTP/2 and HTTP/1.1 (Kestrel): the surface of specs/kube-api-subset.md, PDB
/// arithmetic, graceful deletion, controller replacement of evicted pods, watch with 410 expiry, fault knobs and request
/// counts. Start one per test with <see cref="StartAsync(JsonObject?, TestApiServerOptions?, CancellationToken)"/>.
/// </summary>
public sealed partial class TestApiServer : IAsyncDisposable
{
    private readonly TestApiServerOptions _options;
    private readonly ApiHandler _handler;
    private readonly SimScheduler _scheduler;
    private readonly SemaphoreSlim _hostGate = new(1, 1);
    private readonly CancellationTokenSource _life = new();
    private readonly List<Task> _outages = [];
    private readonly bool _ownsKubeconfig;
    private readonly List<ApiCaller> _callers = [];
    private readonly NodeLifecycle? _nodeLifecycle;
    private readonly TestCertificates? _pki;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;
    private WebApplication? _app;
    private int _port;

    private TestApiServer(TestApiServerOptions options)
    {
        _options = options;
        Store = new ObjectStore(options.Time, options.HistoryLimit);
        _scheduler = new SimScheduler(options.Time, options.TimeScale);
        Terminator = new PodTerminator(Store, _scheduler);
        var evictor = new Evictor(Store, Terminator);
        Store.AddReactor(new ReplicaController(_scheduler, options.ReplacementReadyDelay, new Random(options.RandomSeed)));
        Store.AddReactor(new DisruptionController());
        Kubelets = new KubeletModel(Store, _scheduler, options.Kubelet);
        if (options.NodeChurn)
        {
            // The real controller acts on its informer's event, a moment after the cordon: as a write of its own.
            _nodeLifecycle = new NodeLifecycle(_scheduler, TimeSpan.FromMilliseconds(100), options.NodeStatusReportFrequency);
            Store.AddReactor(_nodeLifecycle);
        }

        Faults.OutageRequested += OnOutageRequested;
        _handler = new ApiHandler(
            new ResourceHandler(Store, Terminator, evictor, Requests, options.Authorization),
            new WatchHandler(Store, Faults, Requests, options.BookmarkInterval),
            new DebugEndpoints(Store, Faults, Requests),
            Faults,
            Requests,
            options.Authorization,
            new TokenRequestHandler(Store, options.Authorization),
            Store);
        if (options.ServerCertificate is { } given)
        {
            _certificate = given;
        }
        else if (options.Transport != ApiServerTransport.PlainHttp1)
        {
            // Made once, kept across outages: a client that reconnects finds the same server certificate.
            _pki = TestCertificates.Create();
            _certificate = _pki.Server;
        }

        _ownsKubeconfig = options.KubeconfigPath is null;
        KubeconfigPath = options.KubeconfigPath ?? Path.Combine(Path.GetTempPath(), $"nodedaemon-sim-kubeconfig-{Guid.NewGuid():N}.yaml");
    }

    /// <summary>How long the token of <see cref="DaemonKubeconfig"/> lasts unless told otherwise: TokenRequest's default.</summary>
    public static readonly TimeSpan DaemonTokenLifetime = TimeSpan.FromHours(1);

    /// <summary>The server's base URL, <c>https://127.0.0.1:PORT/</c> (<c>http://</c> with <see cref="ApiServerTransport.PlainHttp1"/>).</summary>
    public Uri Url { get; private set; } = new("https://127.0.0.1/");

    /// <summary>The CA that issued the server's certificate, written into every kubeconfig this server writes; null with
    /// <see cref="ApiServerTransport.PlainHttp1"/> or a <see cref="TestApiServerOptions.ServerCertificate"/> of the test's own.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? CertificateAuthority => _pki?.Ca;

    /// <summary>An HTTP client for test code that talks to <see cref="Url"/> directly, trusting <see cref="CertificateAuthority"/>.</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout) =>
        new(CertificateAuthority is { } ca ? TestCertificates.TrustingHandler(ca) : new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = Url, Timeout = timeout };

    /// <summary>The kubeconfig written for clients (kubectl, the daemon): the admin's token.</summary>
    public string KubeconfigPath { get; }

    /// <summary>
    /// The kubeconfig text the daemon on node <paramref name="nodeName"/> uses. With
    /// <see cref="TestApiServerOptions.Authorization"/>: a token of the daemon's service account bound to that Node, minted
    /// now by this server as its TokenRequest endpoint mints them (what docs/rbac.yaml and docs/admission-policy.yaml let
    /// that node's daemon do, nothing more), valid for <paramref name="lifetime"/> (default
    /// <see cref="DaemonTokenLifetime"/>); the Node must exist. Without authorization: the admin's.
    /// </summary>
    public string DaemonKubeconfig(string nodeName, TimeSpan? lifetime = null) => _options.Authorization is { } authorization
        ? Kubeconfig.Render(Url, authorization.MintDaemonToken(Store, nodeName, lifetime ?? DaemonTokenLifetime), CertificateAuthority)
        : Kubeconfig.Render(Url, ca: CertificateAuthority);

    /// <summary>Every object; tests read and change the world through it directly.</summary>
    public ObjectStore Store { get; }

    /// <summary>The fault knobs.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Requests seen, by <c>"verb resource"</c>, and the connections they came on.</summary>
    public RequestCounter Requests { get; } = new();

    /// <summary>Who called, request by request: the Authorization header and the TLS client certificate's subject.</summary>
    public IReadOnlyList<ApiCaller> Callers
    {
        get
        {
            lock (_callers)
            {
                return [.. _callers];
            }
        }
    }

    /// <summary>The authentication and authorization mode, or null when every request is allowed.</summary>
    public Auth.ApiAuthorization? Authorization => _options.Authorization;

    /// <summary>The nodes' kubelets after a boot (<see cref="BootNode"/>).</summary>
    public KubeletModel Kubelets { get; }

    /// <summary>Graceful pod deletion, for tests that delete pods as the kubelet or a user would.</summary>
    public PodTerminator Terminator { get; }

    /// <summary>Starts a server seeded with a <c>List</c> of objects (null: empty) and writes its kubeconfig.</summary>
    public static async Task<TestApiServer> StartAsync(JsonObject? seed, TestApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new TestApiServer(options ?? new TestApiServerOptions());
        try
        {
            SeedLoader.Load(server.Store, seed);
            server._nodeLifecycle?.Start(server.Store);
            server._port = server._options.Port;
            await server.StartHostAsync(cancellationToken);
            Kubeconfig.Write(server.KubeconfigPath, server.Url, ca: server.CertificateAuthority);
            if (server._options.Faults is { } faults)
            {
                server.Faults.Set(faults);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops listening (clients get connection refused) for <paramref name="duration"/>, then listens on the same port again.</summary>
    public async Task MakeUnavailableAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await StopHostAsync();
        await Task.Delay(duration, cancellationToken);
        await StartHostAsync(cancellationToken);
    }

    /// <summary>
    /// Node <paramref name="node"/> has just booted <paramref name="bootedDigest"/>: its kubelet starts again
    /// (<see cref="KubeletModel"/>), broken as the <see cref="FaultSettings.BootFaults"/> keyed by that digest say. Under
    /// <c>api-unreachable-after-boot</c> the whole server stops listening from now on for that long (a scenario has one
    /// node), and the kubelet, on the same network, posts only once it is back.
    /// </summary>
    /// <returns>What this boot goes through.</returns>
    public BootPlan BootNode(string node, string? bootedDigest)
    {
        var plan = BootPlan.For(Faults.Current.BootFaults, bootedDigest);
        if (plan.ApiUnreachable is { } outage)
        {
            lock (_outages)
            {
                _outages.Add(Task.Run(() => MakeUnavailableAsync(outage, _life.Token)));
            }
        }

        Kubelets.Boot(node, plan, plan.ApiUnreachable ?? TimeSpan.Zero);
        return plan;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _life.CancelAsync();
        try
        {
            await Task.WhenAll(_outages);
        }
        catch (OperationCanceledException)
        {
            // An outage in progress when the test ended.
        }

        await StopHostAsync();
        _scheduler.Dispose();
        _life.Dispose();
        _hostGate.Dispose();
        _pki?.Dispose();
        if (_ownsKubeconfig)
        {
            File.Delete(KubeconfigPath);
        }
    }

    private void OnOutageRequested(FaultSettings settings)
    {
        lock (_outages)
        {
            _outages.Add(Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.UnavailableAfterSeconds), _life.Token);
                await MakeUnavailableAsync(TimeSpan.FromSeconds(settings.UnavailableSeconds), _life.Token);
            }));
        }
    }

    private async Task StartHostAsync(CancellationToken cancellationToken)
    {
        await _hostGate.WaitAsync(cancellationToken);
        try
        {
            if (_app is not null || _life.IsCancellationRequested)
            {
                return;
            }

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(ConfigureListener);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
            // Why connections end, from Kestrel's own log (nothing else is logged).
            builder.Logging.ClearProviders().AddProvider(new KestrelConnectionLog(Requests.Connections))
                .AddFilter(KestrelConnectionLog.Category, LogLevel.Debug);
            var app = builder.Build();
            var stopping = app.Lifetime.ApplicationStopping;
            app.Run(context =>
            {
                Record(context);
                return _handler.HandleAsync(context, stopping);
            });
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Url = new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/");
            _port = Url.Port;
            _app = app;
        }
        finally
        {
            _hostGate.Release();
        }
    }

    private void Record(Microsoft.AspNetCore.Http.HttpContext context)
    {
        var caller = new ApiCaller(context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null,
            context.Connection.ClientCertificate?.Subject);
        lock (_callers)
        {
            // Bounded: a long test's history is not worth unbounded memory.
            if (_callers.Count < 10_000)
            {
                _callers.Add(caller);
            }
        }
    }

    private async Task StopHostAsync()
    {
        await _hostGate.WaitAsync();
        try
        {
            if (_app is { } app)
            {
                _app = null;
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            _hostGate.Release();
        }
    }
}
