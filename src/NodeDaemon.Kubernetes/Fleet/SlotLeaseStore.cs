using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The reads and writes of a pool's slot Leases, and the caches they feed: the Leases naming us, the last list's version.</summary>
/// <remarks>
/// Every write is conditional: a slot is taken by a create (409 AlreadyExists when another node was first) or by a PUT
/// carrying the resourceVersion just read (409 Conflict when anyone wrote in between). Those answers are a lost race,
/// told as false, never retried here (<see cref="ApiSender"/> would resend the stale version). A Lease deleted since it
/// was read is created again by the PUT on kube-apiserver, which allows create-on-update for Leases (the body's
/// resourceVersion is not compared then; the test API server does the same), and no one else can hold a name that did
/// not exist; a 404 (the Lease deleted again in between) is taken as a lost race too.
/// </remarks>
internal sealed class SlotLeaseStore
{
    private readonly ApiSender _sender;
    private readonly LeaseSlotClientOptions _options;
    private readonly ListedVersionCache _listed = new();
    private readonly OwnLeaseCache _own;
    private readonly ILogger _logger;

    /// <summary>A store writing through <paramref name="sender"/>; the Leases naming us are remembered in <see cref="LeaseSlotClientOptions.MemoryPath"/>.</summary>
    public SlotLeaseStore(ApiSender sender, LeaseSlotClientOptions options, ILogger logger)
    {
        _sender = sender;
        _options = options;
        _logger = logger;
        _own = new OwnLeaseCache(options.MemoryPath, options.LeaseKeys, logger);
    }

    /// <summary>The resourceVersion of the last Lease list; empty before any.</summary>
    public string ListedVersion => _listed.Version;

    private string Namespace => _options.Fleet.LeaseNamespace;

    private SlotLeaseKeys Keys => _options.LeaseKeys;

    /// <summary>The Leases known to name <paramref name="member"/>, without a list (see <see cref="OwnLeaseCache.Own"/>).</summary>
    public List<SlotLease> Own(SlotMember member) => _own.Own(member);

    /// <summary>The Leases remembered from before a restart that name <paramref name="member"/> (see <see cref="OwnLeaseCache.Recall"/>).</summary>
    public List<SlotLease> Recall(SlotMember member) => _own.Recall(member);

    /// <summary>Keeps <paramref name="lease"/> as ours, or (null, or not held) forgets the Lease <paramref name="name"/>.</summary>
    public void Keep(SlotLease? lease, string name, string pool) => _own.Keep(lease, name, pool);

    /// <summary>The slot Leases of <paramref name="member"/>'s pool, by index; those naming the member are kept as ours.</summary>
    public async Task<List<SlotLease>> ListAsync(SlotMember member, CancellationToken cancellationToken)
    {
        var list = await _sender.SendOkAsync(HttpMethod.Get, KubePaths.Leases(Namespace), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        var leases = SlotLease.ReadList(list, member.Pool, Keys);
        _listed.Version = list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";
        _own.Listed(member, leases);
        return leases;
    }

    /// <summary>Creates the missing Lease, or takes the listed one with a PUT on its resourceVersion; false when another write won.</summary>
    public async Task<bool> TakeAsync(SlotCandidate candidate, string node, string digest, string pool, int slots, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
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
            SlotLog.LeaseCreated(_logger, Namespace, candidate.Name, Version(response));
            _own.Keep(response.Body is JsonObject written ? SlotLease.Read(written, pool, Keys) : null, candidate.Name, pool);
            return true;
        }

        return response.StatusCode == 409
            ? false
            : throw new ClusterException($"create Lease {Namespace}/{candidate.Name}: {response.Message}", response.StatusCode);
    }

    /// <summary>
    /// PUTs <paramref name="body"/> on the read version of <paramref name="lease"/>; false on 409 (written since) or 404
    /// (gone again while the PUT was on its way). The answer is kept as ours when <paramref name="ours"/>
    /// (a take, a renewal), else forgotten.
    /// </summary>
    public async Task<bool> PutAsync(SlotLease lease, JsonObject body, string pool, bool ours, CancellationToken cancellationToken)
    {
        var response = await _sender.SendAsync(HttpMethod.Put, KubePaths.Lease(Namespace, lease.Name), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        if (response.IsSuccess)
        {
            SlotLog.LeaseUpdated(_logger, Namespace, lease.Name, Version(response));
            _own.Keep(ours && response.Body is JsonObject written ? SlotLease.Read(written, pool, Keys) : null, lease.Name, pool);
            return true;
        }

        if (response.StatusCode is 409 or 404)
        {
            _own.Keep(null, lease.Name, pool);
            return false;
        }

        throw new ClusterException($"update Lease {Namespace}/{lease.Name}: {response.Message}", response.StatusCode);
    }

    private static string Version(KubeResponse response) => (string?)response.Body?["metadata"]?["resourceVersion"] ?? "";
}
