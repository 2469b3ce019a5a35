using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The <see cref="IStagingSlotClient"/> over coordination.k8s.io/v1 Leases: one Lease per staging slot, <c>nodedaemon-&lt;pool&gt;-s&lt;i&gt;</c>.</summary>
/// <remarks>
/// The same arbitration as the disruption slots (<see cref="LeaseSlotClient"/>): a slot is taken only by a create (409
/// AlreadyExists when someone else was first) or a PUT on the resourceVersion just listed (409 Conflict when anyone wrote
/// in between), at an index below the limit, while fewer staging Leases than the limit are live. What differs is that a
/// staging Lease expires (<see cref="StagingLease.IsLive"/>): its holder renews it while pulling, and one that stops is
/// taken over after <see cref="LeaseStagingSlotClientOptions.LeaseDuration"/>. What to do with the list is
/// <see cref="StagingPlanner"/>'s pure choice. A holder done pulling hands its slot to a node still waiting to pull
/// (LeaseStagingSlotClient.HandOver.cs), which its watch tells: a freed staging slot is not raced for by the pool.
/// </remarks>
public sealed partial class LeaseStagingSlotClient : IStagingSlotClient, IDisposable
{
    // A lost race lists again; past this many, the answer is Full and the node asks again after its recheck.
    private const int WriteAttempts = 3;
    private readonly KubeApi _api;
    private readonly ApiSender _sender;
    private readonly LeaseStagingSlotClientOptions _options;
    private readonly PoolNodeReader _nodes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private (string Pool, int Size, DateTimeOffset At)? _poolSize;
    // Written by the watch as well as by the turn: a reference, so a reader sees one whole value.
    private OwnLease? _own;
    private string _listedVersion = "";

    private LeaseStagingSlotClient(KubeApi api, LeaseStagingSlotClientOptions options, TimeProvider time, ILogger logger)
    {
        (_api, _options, _time, _logger) = (api, options, time, logger);
        _sender = new ApiSender(api, options.Transport, time, logger);
        _nodes = new PoolNodeReader(_sender, new LeaseSlotClientOptions { Fleet = options.Fleet, Transport = options.Transport, NodeKeys = options.NodeKeys });
    }

    /// <summary>A client for the kubeconfig at <paramref name="kubeconfigPath"/>, telling <paramref name="requests"/> of every request.</summary>
    public static LeaseStagingSlotClient Create(string kubeconfigPath, LeaseStagingSlotClientOptions options, TimeProvider time, ILogger logger, IApiRequestObserver requests)
    {
        ArgumentNullException.ThrowIfNull(kubeconfigPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(requests);
        // On the daemon's one connection (options.Transport.Connection), as its node and slot clients: a connection of its
        // own cost every node of a pool a second TLS handshake in the second the pool was pointed at a new image.
        return new LeaseStagingSlotClient(KubeApi.FromKubeconfig(kubeconfigPath, options.Transport.RequestTimeout, requests, options.Transport.Token,
            options.Transport.Connection), options, time, logger);
    }

    /// <inheritdoc/>
    public TimeSpan RenewInterval => _options.LeaseDuration / 3;

    private string Namespace => _options.Fleet.LeaseNamespace;

    /// <inheritdoc/>
    public async Task<StagingAnswer> AcquireAsync(SlotMember member, string digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(digest);
        if (await TakeUpAsync(member, digest, cancellationToken).ConfigureAwait(false) is { } handed)
        {
            return handed;
        }

        var slots = await SlotsAsync(member.Pool, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var leases = await ListAsync(member.Pool, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            switch (StagingPlanner.Choose(leases, member.NodeName, slots, now, Spread(member.NodeName, attempt)))
            {
                case StagingStep.Renew renew:
                    // Ours from before (a restart mid-pull, a repeated request): renewing it is taking it up again.
                    if (await PutAsync(member, renew.Lease, StagingLeaseBodies.Renew(_options, renew.Lease, now), ours: true, cancellationToken).ConfigureAwait(false))
                    {
                        LogTaken(renew.Lease.Name, member.Pool, member.NodeName, digest);
                        return new StagingAnswer.Taken(renew.Lease.Name);
                    }

                    break;
                case StagingStep.Full:
                    LogFull(member.Pool, slots);
                    return new StagingAnswer.Full(slots);
                case StagingStep.Take { Existing: { } existing } take:
                    if (await PutAsync(member, existing, StagingLeaseBodies.Take(_options, existing, member.Pool, member.NodeName, digest, now), ours: true, cancellationToken)
                        .ConfigureAwait(false))
                    {
                        if (take.ExpiredFrom is { } from)
                        {
                            LogExpiredTaken(existing.Name, from, member.NodeName);
                        }

                        LogTaken(existing.Name, member.Pool, member.NodeName, digest);
                        return new StagingAnswer.Taken(existing.Name, take.ExpiredFrom);
                    }

                    break;
                case StagingStep.Take take:
                    var name = StagingLeaseNames.For(member.Pool, take.Index);
                    if (await CreateAsync(member, name, digest, now, cancellationToken).ConfigureAwait(false))
                    {
                        LogTaken(name, member.Pool, member.NodeName, digest);
                        return new StagingAnswer.Taken(name);
                    }

                    break;
            }
        }

        LogFull(member.Pool, slots);
        return new StagingAnswer.Full(slots);
    }

    /// <inheritdoc/>
    public async Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (await OwnAsync(member, cancellationToken).ConfigureAwait(false) is not { } lease)
        {
            return false;
        }

        return await PutAsync(member, lease, StagingLeaseBodies.Renew(_options, lease, _time.GetUtcNow()), ours: true, cancellationToken).ConfigureAwait(false)
            || (await OwnAsync(member, cancellationToken, listed: true).ConfigureAwait(false) is { } again
                && await PutAsync(member, again, StagingLeaseBodies.Renew(_options, again, _time.GetUtcNow()), ours: true, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public void Dispose() => _api.Dispose();

    /// <summary>The staging slots of the pool: a count as it is, a percentage of the pool's nodes (listed at most once per recheck).</summary>
    private async Task<int> SlotsAsync(string pool, CancellationToken cancellationToken)
    {
        if (_options.Fleet.FixedStagingSlots is { } fixedSlots)
        {
            return fixedSlots;
        }

        var now = _time.GetUtcNow();
        if (_poolSize is not { } known || known.Pool != pool || now - known.At >= _options.PoolRecheck)
        {
            var nodes = await _nodes.ListPoolAsync(pool, cancellationToken).ConfigureAwait(false);
            _poolSize = known = (pool, nodes.Count, now);
        }

        return _options.Fleet.StagingSlotsFor(known.Size);
    }

    private async Task<List<StagingLease>> ListAsync(string pool, CancellationToken cancellationToken)
    {
        var path = KubePaths.LeasesSelected(Namespace, $"{_options.PoolLabelKey}={SlotLeaseNames.Segment(pool)}");
        var list = await _sender.SendOkAsync(HttpMethod.Get, path, null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        _listedVersion = NodeReader.Text(list["metadata"]?["resourceVersion"]);
        return StagingLease.ReadList(list, pool, _options.GivenBackByKey);
    }

    /// <summary>Our staging Lease: the one remembered, or (<paramref name="listed"/>, or none remembered) the one a list finds naming us.</summary>
    private async Task<StagingLease?> OwnAsync(SlotMember member, CancellationToken cancellationToken, bool listed = false)
    {
        if (!listed && _own is { } own && own.Member == member)
        {
            return own.Lease;
        }

        var found = (await ListAsync(member.Pool, cancellationToken).ConfigureAwait(false)).FirstOrDefault(l => l.Holder == member.NodeName);
        _own = found is null ? null : new(member, found);
        return found;
    }

    private async Task<bool> CreateAsync(SlotMember member, string name, string digest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = StagingLeaseBodies.Create(_options, name, member.Pool, member.NodeName, digest, now);
        var response = await _sender.SendAsync(HttpMethod.Post, KubePaths.Leases(Namespace), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        if (response.IsSuccess)
        {
            Remember(member, response);
            return true;
        }

        return response.StatusCode == 409 ? false : throw new ClusterException($"create Lease {Namespace}/{name}: {response.Message}", response.StatusCode);
    }

    /// <summary>PUTs <paramref name="body"/> on the listed version of <paramref name="lease"/>; false on 409 or 404 (a lost race).</summary>
    private async Task<bool> PutAsync(SlotMember member, StagingLease lease, JsonObject body, bool ours, CancellationToken cancellationToken)
    {
        var response = await _sender.SendAsync(HttpMethod.Put, KubePaths.Lease(Namespace, lease.Name), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        if (response.IsSuccess)
        {
            if (ours)
            {
                Remember(member, response);
            }
            else
            {
                _own = null;
            }

            return true;
        }

        if (response.StatusCode is 409 or 404)
        {
            _own = null;
            return false;
        }

        throw new ClusterException($"update Lease {Namespace}/{lease.Name}: {response.Message}", response.StatusCode);
    }

    private void Remember(SlotMember member, KubeResponse response) =>
        _own = response.Body is JsonObject written && StagingLease.Read(written, member.Pool, _options.GivenBackByKey) is { } lease ? new(member, lease) : null;

    // A stable spread per node (string.GetHashCode is randomized per process), moved on by the attempt after a lost race.
    private static int Spread(string node, int attempt)
    {
        var hash = 17;
        foreach (var b in Encoding.UTF8.GetBytes(node))
        {
            hash = unchecked((hash * 31) + b);
        }

        return unchecked(hash + attempt);
    }
}
