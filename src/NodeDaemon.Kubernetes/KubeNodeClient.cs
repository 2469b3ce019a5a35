using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Drain;
using NodeDaemon.Kubernetes.Events;
using NodeDaemon.Kubernetes.Watch;

namespace NodeDaemon.Kubernetes;

/// <summary>The <see cref="INodeClient"/> over a real (or the test) Kubernetes API server.</summary>
public sealed partial class KubeNodeClient : INodeClient, IDisposable
{
    private readonly KubeApi _api;
    private readonly ApiSender _sender;
    private readonly KubeNodeClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EventRecorder _events;
    private volatile NodeSnapshot? _latest;

    private KubeNodeClient(KubeApi api, KubeNodeClientOptions options, TimeProvider time, ILogger logger)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        _sender = new ApiSender(api, options.Transport, time, logger);
        _events = new EventRecorder(_sender, options, time, logger, () => _latest?.Uid);
    }

    /// <summary>A client for the kubeconfig at <paramref name="kubeconfigPath"/> (empty: default locations, then in-cluster).</summary>
    public static KubeNodeClient Create(string kubeconfigPath, KubeNodeClientOptions options, TimeProvider time, ILogger logger) =>
        Create(kubeconfigPath, options, time, logger, NoApiRequestObserver.Instance);

    /// <summary>Like <see cref="Create(string, KubeNodeClientOptions, TimeProvider, ILogger)"/>, telling <paramref name="requests"/> of every request.</summary>
    public static KubeNodeClient Create(string kubeconfigPath, KubeNodeClientOptions options, TimeProvider time, ILogger logger, IApiRequestObserver requests)
    {
        ArgumentNullException.ThrowIfNull(kubeconfigPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(requests);
        return new KubeNodeClient(KubeApi.FromKubeconfig(kubeconfigPath, options.Transport.RequestTimeout, requests, options.Transport.Token, options.Transport.Connection), options, time, logger);
    }

    /// <inheritdoc/>
    public async Task<NodeSnapshot> GetAsync(CancellationToken cancellationToken) =>
        Remember(NodeReader.Read(await _sender.SendOkAsync(HttpMethod.Get, KubePaths.Node(_options.NodeName), null, KubePaths.Json, cancellationToken).ConfigureAwait(false)));

    /// <inheritdoc/>
    public async Task ReportAsync(NodeReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        // No resourceVersion: a merge patch of only our keys cannot overwrite anyone else's change.
        var written = await _sender.SendOkAsync(HttpMethod.Patch, KubePaths.Node(_options.NodeName), NodePatches.Report(report, _options.Keys), KubePaths.MergePatch, cancellationToken)
            .ConfigureAwait(false);
        var node = NodeReader.Read(written);
        LogAnnotated(_options.NodeName, report.State.ToString(), report.Phase.ToString(), node.ResourceVersion);
        Remember(node);
    }

    /// <inheritdoc/>
    public async Task SetConditionsAsync(IReadOnlyList<NodeConditionValue> conditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        // A strategic merge patch of nodes/status merges conditions by type (core/v1 patchMergeKey), so the kubelet's
        // stay; a JSON merge patch would replace the whole list. No resourceVersion: only our own types are named.
        var stamped = NodeConditionRules.Stamp(conditions, _latest?.Conditions ?? [], _time.GetUtcNow());
        var written = await _sender.SendOkAsync(HttpMethod.Patch, KubePaths.NodeStatus(_options.NodeName), NodePatches.Conditions(stamped, _time.GetUtcNow()),
            KubePaths.StrategicMergePatch, cancellationToken).ConfigureAwait(false);
        var node = Remember(NodeReader.Read(written));
        LogConditionsWritten(_options.NodeName, string.Join(", ", stamped.Select(c => $"{c.Type}={c.Status} ({c.Reason})")), node.ResourceVersion);
    }

    /// <summary>Cordons without a report; see <see cref="CordonAsync(NodeReport?, CancellationToken)"/>.</summary>
    public Task<CordonResult> CordonAsync(CancellationToken cancellationToken) => CordonAsync(null, cancellationToken);

    /// <summary>Lifts our cordon without a report; see <see cref="UncordonAsync(NodeReport?, CancellationToken)"/>.</summary>
    public Task<CordonResult> UncordonAsync(CancellationToken cancellationToken) => UncordonAsync(null, cancellationToken);

    /// <inheritdoc/>
    public async Task<CordonResult> CordonAsync(NodeReport? report, CancellationToken cancellationToken)
    {
        // The last node seen (watched, read or written) gives the precondition: if it is stale, the patch fails with
        // 409 and nothing is written, and only then is the node read. A "nothing to do" is never taken from memory.
        var (node, fresh) = (_latest, false);
        for (var attempt = 1; ; attempt++)
        {
            if (node is null)
            {
                (node, fresh) = (await GetAsync(cancellationToken).ConfigureAwait(false), true);
            }

            if (node.Unschedulable)
            {
                if (!fresh)
                {
                    node = null;
                    continue;
                }

                // Someone else's cordon (or ours from before a crash, which then carries the mark already).
                LogCordonLeftAlone(node.Name, node.Annotation(_options.Keys.CordonedBy) is null ? "already unschedulable" : "already cordoned by us");
                return new CordonResult(false, node);
            }

            var response = await _sender.SendAsync(HttpMethod.Patch, KubePaths.Node(node.Name), NodePatches.Cordon(node.ResourceVersion, _options.Keys, _options.Component, report),
                KubePaths.MergePatch, cancellationToken, retryConflict: false).ConfigureAwait(false);
            if (response is { IsSuccess: true, Body: { } written })
            {
                LogCordoned(node.Name);
                return new CordonResult(true, Remember(NodeReader.Read(written)));
            }

            ThrowUnlessConflict(response, attempt, "cordon");
            node = null;
        }
    }

    /// <inheritdoc/>
    public async Task<CordonResult> UncordonAsync(NodeReport? report, CancellationToken cancellationToken)
    {
        // As for the cordon: the last node seen gives the precondition, and "not ours" is only ever answered from a read.
        var (node, fresh) = (_latest, false);
        for (var attempt = 1; ; attempt++)
        {
            if (node is null)
            {
                (node, fresh) = (await GetAsync(cancellationToken).ConfigureAwait(false), true);
            }

            if (node.Annotation(_options.Keys.CordonedBy) is null)
            {
                if (!fresh)
                {
                    node = null;
                    continue;
                }

                // Not our cordon (or none): an admin's cordon is never lifted.
                if (node.Unschedulable)
                {
                    LogCordonLeftAlone(node.Name, "the cordon is not ours");
                }

                return new CordonResult(false, node);
            }

            var response = await _sender.SendAsync(HttpMethod.Patch, KubePaths.Node(node.Name), NodePatches.Uncordon(node.ResourceVersion, _options.Keys, report),
                KubePaths.MergePatch, cancellationToken, retryConflict: false).ConfigureAwait(false);
            if (response is { IsSuccess: true, Body: { } written })
            {
                LogUncordoned(node.Name);
                return new CordonResult(true, Remember(NodeReader.Read(written)));
            }

            ThrowUnlessConflict(response, attempt, "uncordon");
            node = null;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<NodeSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var snapshot in new NodeWatcher(_api, _options, _time, _logger).WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return RememberWatched(snapshot);
        }
    }

    /// <inheritdoc/>
    public Task<DrainResult> DrainAsync(DrainRequest request, IProgress<DrainProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new PodDrainer(_api, _options, _time, _logger, request, progress).RunAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordEventAsync(NodeEventKind kind, string message, bool warning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _events.RecordAsync(kind, message, warning, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _events.Dispose();
        _api.Dispose();
    }

    /// <summary>Keeps <paramref name="node"/>, read or written just now, as the last one seen: cordons take their
    /// precondition from it, events the uid.</summary>
    private NodeSnapshot Remember(NodeSnapshot node)
    {
        _latest = node;
        return node;
    }

    /// <summary>Keeps a watched <paramref name="node"/> unless it is known to be older than the last one seen (an event
    /// still on its way when a write was answered).</summary>
    /// <remarks>A stale one kept when versions are not comparable costs a 409 and a read, never a wrong write.</remarks>
    private NodeSnapshot RememberWatched(NodeSnapshot node)
    {
        if (_latest is not { } known || !node.IsOlderThan(known))
        {
            _latest = node;
        }

        return node;
    }

    private void ThrowUnlessConflict(KubeResponse response, int attempt, string what)
    {
        // 409: the node changed between our read and our write (an admin, the kubelet); read again and decide again.
        if (response.StatusCode != 409 || attempt >= _options.Transport.WriteAttempts)
        {
            throw new ClusterException($"{what} {_options.NodeName}: {response.Message}", response.StatusCode);
        }
    }
}
