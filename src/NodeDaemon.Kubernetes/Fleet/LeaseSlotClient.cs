using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Images;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The <see cref="ISlotClient"/> over coordination.k8s.io/v1 Leases: one Lease per slot, <c>nodedaemon-&lt;pool&gt;-&lt;i&gt;</c>.</summary>
/// <remarks>
/// The limit holds because a slot is taken only by a create (409 AlreadyExists when someone else was first) or by a PUT
/// carrying the resourceVersion just listed (409 Conflict when anyone wrote in between), only at an index below the
/// slot count, and only while fewer Leases than that are held by nodes still working. A lost race lists again.
/// The Leases are listed before the holders' nodes are read, so a holder that renews its Lease (new digest) after our
/// read makes our takeover fail. The slot count comes from the pool's node list, read anyway for the halt: the caller
/// passes no pool size.
/// </remarks>
public sealed partial class LeaseSlotClient : ISlotClient, IDisposable
{
    private readonly KubeApi _api;
    private readonly ApiSender _sender;
    private readonly LeaseSlotClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // The slot count of the last node list, for the cheap "all held" answer (see LeaseSlotClientOptions.PoolRecheck).
    private PoolCount? _lastCount;

    private LeaseSlotClient(KubeApi api, LeaseSlotClientOptions options, TimeProvider time, ILogger logger)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        _sender = new ApiSender(api, options.Transport, time, logger);
    }

    private string Namespace => _options.Fleet.LeaseNamespace;

    // Lost races before an acquire answers Full, or a renew or release gives up.
    private int Attempts => _options.Transport.WriteAttempts;

    /// <summary>A client for the kubeconfig at <paramref name="kubeconfigPath"/> (empty: default locations, then in-cluster).</summary>
    public static LeaseSlotClient Create(string kubeconfigPath, LeaseSlotClientOptions options, TimeProvider time, ILogger logger) =>
        Create(kubeconfigPath, options, time, logger, NoApiRequestObserver.Instance);

    /// <summary>Like <see cref="Create(string, LeaseSlotClientOptions, TimeProvider, ILogger)"/>, telling <paramref name="requests"/> of every request.</summary>
    public static LeaseSlotClient Create(string kubeconfigPath, LeaseSlotClientOptions options, TimeProvider time, ILogger logger, IApiRequestObserver requests)
    {
        ArgumentNullException.ThrowIfNull(kubeconfigPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(requests);
        return new LeaseSlotClient(KubeApi.FromKubeconfig(kubeconfigPath, options.Transport.RequestTimeout, requests), options, time, logger);
    }

    /// <inheritdoc/>
    public async Task<SlotAnswer> AcquireAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (node, pool) = (request.Member.NodeName, request.Member.Pool);
        var digest = Digest.TryParse(request.DesiredDigest, out var parsed, out var error)
            ? parsed.ToString()
            : throw new ArgumentException(error, nameof(request));
        IReadOnlyList<string> holders = [];
        var slots = 0;
        for (var pass = 1; pass <= Attempts; pass++)
        {
            var leases = await ListLeasesAsync(pool, cancellationToken).ConfigureAwait(false);
            if (leases.Find(l => l.Holder == node) is { } mine)
            {
                // Ours already (a restart, a repeat); make it name the digest we now work on before we disrupt
                // anything for it, so nobody reads "finished its slot's image" from our Done on the old one.
                if (mine.Digest == digest
                    || await PutAsync(mine, SlotLeaseBodies.Renew(mine, digest, _options.DigestAnnotation, _time.GetUtcNow(), _options.LeaseDuration), cancellationToken)
                        .ConfigureAwait(false))
                {
                    return new SlotAnswer.Held(mine.Name);
                }

                LogRaceLost(mine.Name, node);
                continue;
            }

            // Every slot held, by the count of a recent node list: the pool is full unless a holder can be taken over,
            // which the node list is needed to see; that is looked at only once the count is PoolRecheck old.
            if (_lastCount is { } count && count.Pool == pool && _time.GetUtcNow() - count.At < _options.PoolRecheck
                && SlotRules.Candidates(pool, count.Slots, leases, s_noTakeovers).Count == 0)
            {
                holders = [.. leases.Where(l => l.IsHeld).Select(l => l.Holder).Distinct().Order(StringComparer.Ordinal)];
                LogFull(pool, count.Slots, string.Join(", ", holders));
                return new SlotAnswer.Full(holders);
            }

            var nodes = await ListPoolAsync(pool, cancellationToken).ConfigureAwait(false);
            var degraded = SlotRules.DegradedOn(nodes.Values, digest, node);
            if (degraded.Count >= _options.Fleet.HaltAfterFailures)
            {
                LogHalted(pool, degraded.Count, digest, string.Join(", ", degraded));
                return new SlotAnswer.Halted(degraded, digest);
            }

            // The asking node counts even when it no longer carries the label (a relabel just now).
            slots = _options.Fleet.SlotsFor(nodes.Count + (nodes.ContainsKey(node) ? 0 : 1));
            _lastCount = new PoolCount(pool, slots, _time.GetUtcNow());
            var takeovers = await TakeoversAsync(leases, nodes, cancellationToken).ConfigureAwait(false);
            holders = [.. leases.Where(l => l.IsHeld).Select(l => l.Holder).Distinct().Order(StringComparer.Ordinal)];
            var candidates = SlotRules.Candidates(pool, slots, leases, takeovers);
            if (candidates.Count == 0)
            {
                LogFull(pool, slots, string.Join(", ", holders));
                return new SlotAnswer.Full(holders);
            }

            // The first candidate only: after a lost race the list is stale, and a create that landed before its
            // answer was lost shows up in the next list as ours instead of making us take a second slot.
            var candidate = candidates[0];
            if (await TakeAsync(candidate, node, digest, cancellationToken).ConfigureAwait(false))
            {
                if (candidate.TakeoverReason is { } reason)
                {
                    LogTakenOver(candidate.Name, candidate.Existing!.Holder, node, reason);
                }

                LogAcquired(candidate.Name, pool, node, digest);
                return new SlotAnswer.Acquired(candidate.Name, candidate.TakeoverReason is null ? null : candidate.Existing!.Holder);
            }

            LogRaceLost(candidate.Name, node);
        }

        // Lost every race: the slots keep changing hands, which is what waiting for one looks like.
        LogFull(pool, slots, string.Join(", ", holders));
        return new SlotAnswer.Full(holders);
    }

    /// <inheritdoc/>
    public async Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var renewed = await ForEachOwnAsync(member, "renew",
            lease => SlotLeaseBodies.Renew(lease, null, _options.DigestAnnotation, _time.GetUtcNow(), _options.LeaseDuration), cancellationToken).ConfigureAwait(false);
        if (renewed.Count == 0)
        {
            LogLost(member.NodeName, member.Pool);
            return false;
        }

        LogRenewed(string.Join(", ", renewed), member.NodeName);
        return true;
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        // Clearing the holder rather than deleting: the Lease keeps its leaseTransitions history, and the daemon needs
        // no delete permission. The PUT is conditional like every other, so a slot taken over meanwhile is left alone.
        var released = await ForEachOwnAsync(member, "release",
            lease => SlotLeaseBodies.Release(lease, _options.DigestAnnotation, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        foreach (var name in released)
        {
            LogReleased(name, member.NodeName);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> HoldsAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var leases = await ListLeasesAsync(member.Pool, cancellationToken).ConfigureAwait(false);
        return leases.Exists(l => l.Holder == member.NodeName);
    }

    /// <inheritdoc/>
    public void Dispose() => _api.Dispose();

    /// <summary>Writes <paramref name="change"/> of every Lease the member holds; the names written (empty: it holds none).</summary>
    private async Task<List<string>> ForEachOwnAsync(SlotMember member, string what, Func<SlotLease, JsonObject> change, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            var mine = (await ListLeasesAsync(member.Pool, cancellationToken).ConfigureAwait(false)).FindAll(l => l.Holder == member.NodeName);
            var done = true;
            foreach (var lease in mine)
            {
                if (await PutAsync(lease, change(lease), cancellationToken).ConfigureAwait(false))
                {
                    written.Add(lease.Name);
                }
                else
                {
                    // Changed since the list (an admin, a takeover): list again and see whether it is still ours.
                    LogRaceLost(lease.Name, member.NodeName);
                    done = false;
                    break;
                }
            }

            if (done)
            {
                return written;
            }

            if (attempt >= Attempts)
            {
                throw new ClusterException($"{what} the slot of {member.NodeName}: its Lease kept changing ({attempt} attempts)", 409);
            }
        }
    }

    private async Task<List<SlotLease>> ListLeasesAsync(string pool, CancellationToken cancellationToken)
    {
        var list = await _sender.SendOkAsync(HttpMethod.Get, KubePaths.Leases(Namespace), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        return SlotLease.ReadList(list, pool, _options.DigestAnnotation);
    }

    private async Task<Dictionary<string, PoolNode>> ListPoolAsync(string pool, CancellationToken cancellationToken)
    {
        // Metadata only: PoolNode reads names and annotations, and real Nodes carry tens of KB of status each.
        var list = await _sender.ListMetadataAsync(KubePaths.NodesLabelled(_options.Fleet.PoolLabel, pool), cancellationToken).ConfigureAwait(false);
        var nodes = new Dictionary<string, PoolNode>(StringComparer.Ordinal);
        foreach (var item in list["items"] as JsonArray ?? [])
        {
            if (item is not null && PoolNode.Read(item, _options.Transport.Keys) is { Name.Length: > 0 } node)
            {
                nodes[node.Name] = node;
            }
        }

        return nodes;
    }

    /// <summary>Why each held Lease may be taken over, by name; holders outside the pool list are read one by one.</summary>
    private async Task<Dictionary<string, string>> TakeoversAsync(List<SlotLease> leases, Dictionary<string, PoolNode> pool, CancellationToken cancellationToken)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var lease in leases.Where(l => l.IsHeld))
        {
            if (!pool.TryGetValue(lease.Holder, out var holder))
            {
                // Relabelled into another pool, or deleted: only a 404 means gone.
                var response = await _sender.SendAsync(HttpMethod.Get, KubePaths.Node(lease.Holder), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
                holder = response switch
                {
                    { StatusCode: 404 } => null,
                    { IsSuccess: true, Body: { } body } => PoolNode.Read(body, _options.Transport.Keys),
                    _ => throw new ClusterException($"GET node {lease.Holder}: {response.Message}", response.StatusCode),
                };
            }

            if (SlotRules.TakeoverReason(lease, holder) is { } reason)
            {
                reasons[lease.Name] = reason;
            }
        }

        return reasons;
    }

    /// <summary>Creates the missing Lease, or takes the listed one with a PUT on its resourceVersion; false when another write won.</summary>
    private async Task<bool> TakeAsync(SlotCandidate candidate, string node, string digest, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (candidate.Existing is { } lease)
        {
            return await PutAsync(lease, SlotLeaseBodies.Take(lease, node, digest, _options.DigestAnnotation, now, _options.LeaseDuration), cancellationToken)
                .ConfigureAwait(false);
        }

        var body = SlotLeaseBodies.Create(Namespace, candidate.Name, node, digest, _options.DigestAnnotation, now, _options.LeaseDuration);
        var response = await _sender.SendAsync(HttpMethod.Post, KubePaths.Leases(Namespace), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        return response.IsSuccess || (response.StatusCode == 409
            ? false
            : throw new ClusterException($"create Lease {Namespace}/{candidate.Name}: {response.Message}", response.StatusCode));
    }

    /// <summary>PUTs <paramref name="body"/> on the listed version of <paramref name="lease"/>; false on 409 (written since) or 404 (deleted since).</summary>
    private async Task<bool> PutAsync(SlotLease lease, JsonObject body, CancellationToken cancellationToken)
    {
        var response = await _sender.SendAsync(HttpMethod.Put, KubePaths.Lease(Namespace, lease.Name), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        return response.IsSuccess || (response.StatusCode is 409 or 404
            ? false
            : throw new ClusterException($"update Lease {Namespace}/{lease.Name}: {response.Message}", response.StatusCode));
    }

    private static readonly IReadOnlyDictionary<string, string> s_noTakeovers = new Dictionary<string, string>();

    /// <summary>A pool's slot count as of a node list.</summary>
    private sealed record PoolCount(string Pool, int Slots, DateTimeOffset At);
}
