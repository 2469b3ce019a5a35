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
/// carrying the resourceVersion just read (409 Conflict when anyone wrote in between), only at an index below the
/// slot count, and only while fewer Leases than that are held by nodes still working. A lost race reads again.
/// The Leases are listed before the holders' nodes are read, so a holder that renews its Lease (new digest) after our
/// read makes our takeover fail. The slot count is <c>maxUnavailable</c> when that is a count, else it comes from a
/// recent node list of the pool (ours, or the one a Lease's writer counted): the caller passes no pool size. With a
/// slot free and the count known, the halt is checked on the pool's Degraded nodes alone (a label selects them); the
/// whole pool is read only for takeovers and for a percentage without a recent count. A holder that is done hands its
/// slot straight to a waiting node (see ReleaseAsync), which learns it from its watch of the Leases: a freed slot is
/// not raced for by the whole pool.
/// </remarks>
public sealed partial class LeaseSlotClient : ISlotClient, IDisposable
{
    private readonly KubeApi _api;
    private readonly ApiSender _sender;
    private readonly LeaseSlotClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // The slot count of the last node list, for the cheap "all held" answer (see LeaseSlotClientOptions.PoolRecheck).
    private PoolCount? _lastCount;

    // The latest version of each Lease naming the node, from our lists, writes and watch: a write to one of them needs
    // no list first (a stale one answers 409 and the list follows). One node per client, so no key for the node.
    private readonly Dictionary<string, SlotLease> _own = new(StringComparer.Ordinal);

    // The resourceVersion of the last Lease list: a watch started right after it starts there instead of listing again.
    private string _listedVersion = "";

    // _own across restarts: loaded at construction, taken into _own at the first call (which names the node), dropped
    // by any list before that, and written whenever _own changes.
    private readonly SlotLeaseMemory? _memory;
    private (string Pool, List<JsonObject> Leases)? _recalled;

    private LeaseSlotClient(KubeApi api, LeaseSlotClientOptions options, TimeProvider time, ILogger logger)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        _sender = new ApiSender(api, options.Transport, time, logger);
        if (options.MemoryPath.Length > 0)
        {
            _memory = new SlotLeaseMemory(options.MemoryPath, logger);
            _recalled = _memory.Load();
        }
    }

    private string Namespace => _options.Fleet.LeaseNamespace;

    private SlotLeaseKeys Keys => _options.LeaseKeys;

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

        // A slot known to name us (handed over, as the watch told, or ours since our last write) that needs a write
        // anyway: that write takes it up and names the digest, without a list first; a 409 means it changed since, and
        // the list below tells how. One that needs no write is confirmed by the list (a write would wake every waiter).
        if (Own(request.Member) is [var known, ..] && (known.HandedOverBy is not null || known.Digest != digest))
        {
            if (await TakeUpAsync(known, request.Member, digest, cancellationToken).ConfigureAwait(false) is { } answer)
            {
                return answer;
            }

            LogRaceLost(known.Name, node);
        }

        IReadOnlyList<string> holders = [];
        var slots = 0;
        // Read once per request: after a lost race only the Leases are read again (a pool annotated at once races for its
        // first slots, and a list of every node per lost race made that race slower, and so longer).
        Dictionary<string, PoolNode>? nodes = null;
        // The Leases' versions when the nodes were read: a holder is taken over only on a Lease unchanged since, so a
        // holder that wrote its Lease after our read of its node (a new digest) makes the takeover fail in every pass.
        Dictionary<string, string> readWith = [];
        // The pool's Degraded nodes, when only they were read (see below).
        List<PoolNode>? degraded = null;
        var lost = 0;
        while (lost < Attempts)
        {
            var leases = await ListLeasesAsync(request.Member, cancellationToken).ConfigureAwait(false);
            if (leases.Find(l => l.Holder == node) is { } mine)
            {
                // Ours already (a restart, a repeat, a hand-over): it is made to name the digest we now work on before
                // we disrupt anything for it, so nobody reads "finished its slot's image" from our Done on the old one.
                if (mine.Digest == digest && mine.HandedOverBy is null)
                {
                    return new SlotAnswer.Held(mine.Name);
                }

                if (await TakeUpAsync(mine, request.Member, digest, cancellationToken).ConfigureAwait(false) is { } answer)
                {
                    return answer;
                }

                LogRaceLost(mine.Name, node);
                lost++;
                continue;
            }

            // Every slot held, by the count of a recent node list (ours, or the one a holder wrote on its Lease): the pool
            // is full unless a holder can be taken over, which the node list is needed to see; that is looked at only
            // once the count is PoolRecheck old, and then only if a holder looks suspect (see KnownCount). So a pool
            // asking at once lists its nodes a few times, not once per node, and a long wait does not list them at all.
            if (KnownCount(pool, leases) is { } count && SlotRules.Candidates(pool, count, leases, s_noTakeovers).Count == 0)
            {
                holders = Holders(leases);
                LogFull(pool, count, string.Join(", ", holders));
                return new SlotAnswer.Full(holders);
            }

            // A free slot and a count that needs no pool read: the halt is all that is left to check, and the pool's
            // Degraded nodes alone show it (one small list instead of every node of the pool, which a pool annotated at
            // once would otherwise read once per node). Takeovers need the whole pool, but nobody takes over while a
            // slot is free.
            if (nodes is null && FreshCount(pool, leases) is { } fresh && SlotRules.Candidates(pool, fresh, leases, s_noTakeovers) is [_, ..] free)
            {
                degraded ??= await ListDegradedAsync(pool, cancellationToken).ConfigureAwait(false);
                if (Halt(pool, degraded, digest, node) is { } halted)
                {
                    return halted;
                }

                var pick = SlotRules.Pick(free, node, ListedVersion);
                if (await TakeAsync(pick, node, digest, pool, fresh, cancellationToken).ConfigureAwait(false))
                {
                    LogAcquired(pick.Name, pool, node, digest);
                    return new SlotAnswer.Acquired(pick.Name);
                }

                LogRaceLost(pick.Name, node);
                lost++;
                continue;
            }

            if (nodes is null)
            {
                readWith = leases.ToDictionary(l => l.Name, l => l.ResourceVersion, StringComparer.Ordinal);
                nodes = await ListPoolAsync(pool, cancellationToken).ConfigureAwait(false);
                // The pool list is the slow read of a request, and the nodes of a pool annotated at once finish staging
                // together: by its answer they have taken slots this Lease list shows free. The Leases are read again
                // before any write, which costs one list where a write on the stale one would cost a 409 and a list.
                continue;
            }

            if (Halt(pool, nodes.Values, digest, node) is { } halt)
            {
                return halt;
            }

            // The asking node counts even when it no longer carries the label (a relabel just now).
            slots = _options.Fleet.SlotsFor(nodes.Count + (nodes.ContainsKey(node) ? 0 : 1));
            _lastCount = new PoolCount(pool, slots, _time.GetUtcNow());
            var takeovers = (await TakeoversAsync(leases, nodes, cancellationToken).ConfigureAwait(false))
                .Where(t => readWith.GetValueOrDefault(t.Key) == leases.Find(l => l.Name == t.Key)?.ResourceVersion)
                .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            holders = Holders(leases);
            var candidates = SlotRules.Candidates(pool, slots, leases, takeovers);
            if (candidates.Count == 0)
            {
                LogFull(pool, slots, string.Join(", ", holders));
                return new SlotAnswer.Full(holders);
            }

            // One candidate per pass: after a lost race the list is stale, and a create that landed before its answer
            // was lost shows up in the next list as ours instead of making us take a second slot. Which free one
            // depends on the node and the list, so that nodes asking at once (a pool annotated together) try different
            // slots instead of all racing for the first.
            var candidate = SlotRules.Pick(candidates, node, ListedVersion);
            if (await TakeAsync(candidate, node, digest, pool, slots, cancellationToken).ConfigureAwait(false))
            {
                if (candidate.TakeoverReason is { } reason)
                {
                    LogTakenOver(candidate.Name, candidate.Existing!.Holder, node, reason);
                }

                LogAcquired(candidate.Name, pool, node, digest);
                return new SlotAnswer.Acquired(candidate.Name, candidate.TakeoverReason is null ? null : candidate.Existing!.Holder);
            }

            LogRaceLost(candidate.Name, node);
            lost++;
        }

        // Lost every race: the slots keep changing hands, which is what waiting for one looks like.
        LogFull(pool, slots, string.Join(", ", holders));
        return new SlotAnswer.Full(holders);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Answered from the Leases remembered from before a restart when there are any (see
    /// <see cref="LeaseSlotClientOptions.MemoryPath"/>): the holder back from its reboot lists nothing. Every write on a
    /// remembered Lease is conditional, so one that is no longer ours costs a 409 and a list, and the agent asks before
    /// it disrupts anything.
    /// </remarks>
    public async Task<bool> HoldsAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (Recall(member))
        {
            return true;
        }

        var leases = await ListLeasesAsync(member, cancellationToken).ConfigureAwait(false);
        return leases.Exists(l => l.Holder == member.NodeName);
    }

    /// <inheritdoc/>
    public void Dispose() => _api.Dispose();

    /// <summary>
    /// Writes <paramref name="lease"/>, which names us, to name <paramref name="digest"/> and to be taken up (a hand-over
    /// mark goes); any other slot handed to us as well is passed on. Null when the Lease changed since it was read.
    /// </summary>
    private async Task<SlotAnswer?> TakeUpAsync(SlotLease lease, SlotMember member, string digest, CancellationToken cancellationToken)
    {
        var body = SlotLeaseBodies.Renew(lease, digest, Keys, _time.GetUtcNow(), _options.LeaseDuration);
        if (!await PutAsync(lease, body, member.Pool, ours: true, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // Two holders finishing at once may both have picked us; one slot is all a node may use.
        foreach (var extra in Own(member).Where(l => l.Name != lease.Name))
        {
            await PassOnAsync(extra, member, cancellationToken).ConfigureAwait(false);
        }

        if (lease.HandedOverBy is { } by)
        {
            LogTookUp(lease.Name, member.NodeName, by, digest);
            return new SlotAnswer.Acquired(lease.Name, HandedOverBy: by);
        }

        return new SlotAnswer.Held(lease.Name);
    }

    /// <summary>The slot Leases of <paramref name="member"/>'s pool, by index; those naming the member are kept as ours.</summary>
    private async Task<List<SlotLease>> ListLeasesAsync(SlotMember member, CancellationToken cancellationToken)
    {
        var list = await _sender.SendOkAsync(HttpMethod.Get, KubePaths.Leases(Namespace), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        var leases = SlotLease.ReadList(list, member.Pool, Keys);
        lock (_gate)
        {
            _listedVersion = list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";
            _recalled = null;
            _own.Clear();
            foreach (var lease in leases.Where(l => l.Holder == member.NodeName))
            {
                _own[lease.Name] = lease;
            }

            Remember(member.Pool);
        }

        return leases;
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

    /// <summary>The nodes of <paramref name="pool"/> that carry the Degraded label, metadata only.</summary>
    private async Task<List<PoolNode>> ListDegradedAsync(string pool, CancellationToken cancellationToken)
    {
        var selector = $"{_options.Fleet.PoolLabel}={pool},{_options.Transport.Keys.DegradedLabel}=true";
        var list = await _sender.ListMetadataAsync(KubePaths.NodesSelected(selector), cancellationToken).ConfigureAwait(false);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(item => PoolNode.Read(item, _options.Transport.Keys)).OfType<PoolNode>()];
    }

    /// <summary>The Halted answer when enough of <paramref name="nodes"/> are Degraded on <paramref name="digest"/>; else null.</summary>
    private SlotAnswer.Halted? Halt(string pool, IEnumerable<PoolNode> nodes, string digest, string node)
    {
        var degraded = SlotRules.DegradedOn(nodes, digest, node);
        if (degraded.Count < _options.Fleet.HaltAfterFailures)
        {
            return null;
        }

        LogHalted(pool, degraded.Count, digest, string.Join(", ", degraded));
        return new SlotAnswer.Halted(degraded, digest);
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

            if (SlotRules.TakeoverReason(lease, holder, _time.GetUtcNow(), _options.HandOverTimeout) is { } reason)
            {
                reasons[lease.Name] = reason;
            }
        }

        return reasons;
    }

    /// <summary>Creates the missing Lease, or takes the listed one with a PUT on its resourceVersion; false when another write won.</summary>
    private async Task<bool> TakeAsync(SlotCandidate candidate, string node, string digest, string pool, int slots, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (candidate.Existing is { } lease)
        {
            return await PutAsync(lease, SlotLeaseBodies.Take(lease, node, digest, slots, Keys, now, _options.LeaseDuration), pool, ours: true, cancellationToken)
                .ConfigureAwait(false);
        }

        var body = SlotLeaseBodies.Create(Namespace, candidate.Name, node, digest, slots, Keys, now, _options.LeaseDuration);
        var response = await _sender.SendAsync(HttpMethod.Post, KubePaths.Leases(Namespace), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        if (response.IsSuccess)
        {
            Keep(response.Body is JsonObject written ? SlotLease.Read(written, pool, Keys) : null, candidate.Name, pool);
            return true;
        }

        return response.StatusCode == 409
            ? false
            : throw new ClusterException($"create Lease {Namespace}/{candidate.Name}: {response.Message}", response.StatusCode);
    }

    /// <summary>
    /// PUTs <paramref name="body"/> on the read version of <paramref name="lease"/>; false on 409 (written since) or 404
    /// (deleted since). The answer is kept as ours when <paramref name="ours"/> (a take, a renewal), else forgotten.
    /// </summary>
    private async Task<bool> PutAsync(SlotLease lease, JsonObject body, string pool, bool ours, CancellationToken cancellationToken)
    {
        var response = await _sender.SendAsync(HttpMethod.Put, KubePaths.Lease(Namespace, lease.Name), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        if (response.IsSuccess)
        {
            Keep(ours && response.Body is JsonObject written ? SlotLease.Read(written, pool, Keys) : null, lease.Name, pool);
            return true;
        }

        if (response.StatusCode is 409 or 404)
        {
            Keep(null, lease.Name, pool);
            return false;
        }

        throw new ClusterException($"update Lease {Namespace}/{lease.Name}: {response.Message}", response.StatusCode);
    }

    /// <summary>Keeps <paramref name="lease"/> of <paramref name="pool"/> as ours, or (null) forgets the Lease <paramref name="name"/>.</summary>
    private void Keep(SlotLease? lease, string name, string pool)
    {
        lock (_gate)
        {
            if (lease is { IsHeld: true })
            {
                _own[lease.Name] = lease;
            }
            else
            {
                _own.Remove(name);
            }

            Remember(pool);
        }
    }

    /// <summary>Writes <see cref="_own"/> to the memory file, if there is one (under <see cref="_gate"/>: one writer at a time).</summary>
    private void Remember(string pool) => _memory?.Save(pool, [.. _own.Values.Select(l => l.Object)]);

    private string ListedVersion
    {
        get
        {
            lock (_gate)
            {
                return _listedVersion;
            }
        }
    }

    /// <summary>
    /// The pool's slot count as good as a node list of now, without one: a count (<c>maxUnavailable: 10</c>) is that
    /// count; a percentage needs a recent one (see <see cref="RecentCount"/>). Null when
    /// <see cref="LeaseSlotClientOptions.PoolRecheck"/> is zero: every request reads the pool.
    /// </summary>
    private int? FreshCount(string pool, List<SlotLease> leases) =>
        _options.PoolRecheck <= TimeSpan.Zero ? null : _options.Fleet.FixedSlots ?? RecentCount(pool, leases);

    /// <summary>
    /// The pool's slot count without reading its nodes, or null when they must be read: a recent count (see
    /// <see cref="RecentCount"/>); else the configured or latest count on a Lease, unless a held Lease looks suspect
    /// (see <see cref="SlotRules.Suspect"/>): only then may a holder be one to take over, which the pool's nodes show.
    /// </summary>
    private int? KnownCount(string pool, List<SlotLease> leases)
    {
        if (_options.PoolRecheck <= TimeSpan.Zero)
        {
            return null;
        }

        if (RecentCount(pool, leases) is { } recent)
        {
            return recent;
        }

        var now = _time.GetUtcNow();
        return leases.Exists(l => SlotRules.Suspect(l, now, _options.LeaseDuration))
            ? null
            : _options.Fleet.FixedSlots ?? leases.Where(l => l is { Slots: not null, RenewedAt: not null }).MaxBy(l => l.RenewedAt)?.Slots;
    }

    /// <summary>
    /// The slot count of a node list less than <see cref="LeaseSlotClientOptions.PoolRecheck"/> old: our own last one,
    /// or the count the latest writer of one of <paramref name="leases"/> put on it; null when there is none.
    /// </summary>
    private int? RecentCount(string pool, List<SlotLease> leases)
    {
        var now = _time.GetUtcNow();
        if (_lastCount is { } own && own.Pool == pool && now - own.At < _options.PoolRecheck)
        {
            return own.Slots;
        }

        var latest = leases.Where(l => l is { Slots: not null, RenewedAt: not null }).MaxBy(l => l.RenewedAt);
        return latest is { RenewedAt: { } at } && now - at < _options.PoolRecheck ? latest.Slots : null;
    }

    /// <summary>The Leases of <paramref name="member"/>'s pool known to name it, by index (at the first call: as remembered from before a restart).</summary>
    private List<SlotLease> Own(SlotMember member)
    {
        Recall(member);
        lock (_gate)
        {
            return [.. _own.Values.Where(l => SlotLeaseNames.IndexOf(l.Name, member.Pool) is not null).OrderBy(l => l.Index)];
        }
    }

    /// <summary>Takes the Leases remembered from before this process into <see cref="_own"/>, once; whether any of them names <paramref name="member"/>.</summary>
    private bool Recall(SlotMember member)
    {
        lock (_gate)
        {
            if (_recalled is not { } recalled)
            {
                return false;
            }

            _recalled = null;
            var any = false;
            foreach (var lease in recalled.Pool == member.Pool ? recalled.Leases : [])
            {
                if (SlotLease.Read(lease, member.Pool, Keys) is { } known && known.Holder == member.NodeName)
                {
                    any |= _own.TryAdd(known.Name, known);
                }
            }

            return any;
        }
    }

    private static IReadOnlyList<string> Holders(List<SlotLease> leases) =>
        [.. leases.Where(l => l.IsHeld).Select(l => l.Holder).Distinct().Order(StringComparer.Ordinal)];

    private static readonly IReadOnlyDictionary<string, string> s_noTakeovers = new Dictionary<string, string>();

    /// <summary>A pool's slot count as of a node list.</summary>
    private sealed record PoolCount(string Pool, int Slots, DateTimeOffset At);
}
