using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Handlers;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>The <c>apiserver</c> verb: runs a <see cref="TestApiServer"/> until interrupted.</summary>
internal static class ApiServerCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Loopback address to listen on, 127.0.0.1:<port>; port 0 picks a free one. The URL is printed on stdout once listening.",
            Required = true,
        };
        var seed = new Option<FileInfo>("--seed")
        {
            Description = "A Kubernetes List (JSON) of Node, Pod, PodDisruptionBudget, Lease, DaemonSet, ReplicaSet, StatefulSet, Namespace and Event objects.",
            Required = true,
        };
        var kubeconfigOut = new Option<FileInfo>("--kubeconfig-out")
        {
            Description = "Where to write a kubeconfig (the https server URL and its CA, a token user, a current context) for kubectl and the daemon.",
            Required = true,
        };
        var faults = new Option<FileInfo?>("--faults")
        {
            Description = "Fault settings (JSON): unavailableSeconds, unavailableAfterSeconds, errors[{status,rate,resource,verb}], watchCutAfterEvents, watchCutAfterMilliseconds, watchCutAbort, latencyMilliseconds, seed. Also settable at POST /debug/faults.",
        };
        var timeScale = new Option<double>("--time-scale")
        {
            Description = "Multiplies grace periods and pod start-up delays (0.01: 30 s takes 300 ms).",
            DefaultValueFactory = _ => 1,
        };
        var readyDelay = new Option<double>("--replacement-ready-seconds")
        {
            Description = "Nominal seconds a replacement pod takes to turn Ready (scaled by --time-scale).",
            DefaultValueFactory = _ => 5,
        };
        var bookmarks = new Option<double>("--bookmark-interval-seconds")
        {
            Description = "Seconds between BOOKMARK events on watches that allow them.",
            DefaultValueFactory = _ => 60,
        };
        var history = new Option<int>("--history")
        {
            Description = "How many changes are kept for watches that resume from a resourceVersion; older ones get 410 Expired.",
            DefaultValueFactory = _ => 1000,
        };
        var rbac = new Option<FileInfo?>("--rbac")
        {
            Description = "Enforce this RBAC manifest (docs/rbac.yaml): the --kubeconfig-out token is the admin, and a second kubeconfig, NAME-daemon.EXT next to it, carries the token of its nodedaemon/nodedaemon ServiceAccount.",
        };
        var nodeChurn = new Option<bool>("--node-churn")
        {
            Description = "The node lifecycle controller's unschedulable taint after a cordon, and kubelet status reports every --node-status-report-seconds.",
        };
        var statusReport = new Option<double>("--node-status-report-seconds")
        {
            Description = "With --node-churn: nominal seconds between a kubelet's status reports (scaled by --time-scale).",
            DefaultValueFactory = _ => 300,
        };
        var transport = new Option<string>("--transport")
        {
            Description = "https: TLS with ALPN h2 and http/1.1, as kube-apiserver (a CA and certificate made at start, written into the kubeconfig); " +
                "https-http1: TLS offering http/1.1 only; http: plain HTTP/1.1 without TLS.",
            DefaultValueFactory = _ => "https",
        };
        transport.AcceptOnlyFromAmong("https", "https-http1", "http");
        var command = new Command("apiserver", "A loopback test kube-apiserver (see docs/simulator.md, 'Test API server').")
        {
            listen, seed, kubeconfigOut, faults, timeScale, readyDelay, bookmarks, history, rbac, nodeChurn, statusReport, transport,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryParseListen(parse.GetValue(listen)!, out var port))
            {
                await Console.Error.WriteLineAsync("--listen must be 127.0.0.1:<port> (loopback only)");
                return 2;
            }

            try
            {
                var options = new TestApiServerOptions
                {
                    Port = port,
                    Transport = parse.GetValue(transport) switch
                    {
                        "https-http1" => ApiServerTransport.HttpsHttp1Only,
                        "http" => ApiServerTransport.PlainHttp1,
                        _ => ApiServerTransport.Https,
                    },
                    KubeconfigPath = parse.GetValue(kubeconfigOut)!.FullName,
                    TimeScale = parse.GetValue(timeScale),
                    ReplacementReadyDelay = TimeSpan.FromSeconds(parse.GetValue(readyDelay)),
                    BookmarkInterval = TimeSpan.FromSeconds(parse.GetValue(bookmarks)),
                    HistoryLimit = parse.GetValue(history),
                    Authorization = parse.GetValue(rbac) is { } manifest ? new Auth.ApiAuthorization(Auth.RbacPolicy.Load(manifest.FullName)) : null,
                    NodeChurn = parse.GetValue(nodeChurn),
                    NodeStatusReportFrequency = TimeSpan.FromSeconds(parse.GetValue(statusReport)),
                    Faults = parse.GetValue(faults) is { } file
                        ? JsonSerializer.Deserialize<FaultSettings>(File.ReadAllText(file.FullName), DebugEndpoints.Json) : null,
                };
                await using var server = await TestApiServer.StartAsync(SeedLoader.ReadFile(parse.GetValue(seed)!.FullName), options, cancellationToken);
                await Console.Out.WriteLineAsync(server.Url.GetLeftPart(UriPartial.Authority));
                await Console.Out.FlushAsync(cancellationToken);
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or JsonException or IOException or ApiException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"apiserver: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static bool TryParseListen(string value, out int port)
    {
        port = 0;
        var colon = value.LastIndexOf(':');
        return colon > 0 && value[..colon] == "127.0.0.1"
            && int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
    }
}
