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
/// recent node list of the pool (ours, or the one a Lease's writer counted): the caller passes no pool size. What to
/// read or write next is <see cref="SlotPlanner"/>'s choice; this class performs it, through <see cref="SlotLeaseStore"/>
/// (the Leases) and <see cref="PoolNodeReader"/> (the nodes). A holder that is done hands its
/// slot straight to a waiting node (see ReleaseAsync), which learns it from its watch of the Leases: a freed slot is
/// not raced for by the whole pool.
/// </remarks>
public sealed class LeaseSlotClient : ISlotClient, IDisposable
{
    private readonly KubeApi _api;
    private readonly LeaseSlotClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PoolCountCache _counts = new();
    private readonly SlotLeaseStore _leases;
    private readonly PoolNodeReader _nodes;
    private readonly SlotHolder _holder;
    private readonly SlotLeaseWatch _watch;

    private LeaseSlotClient(KubeApi api, LeaseSlotClientOptions options, TimeProvider time, ILogger logger)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        var sender = new ApiSender(api, options.Transport, time, logger);
        _leases = new SlotLeaseStore(sender, options, logger);
        _nodes = new PoolNodeReader(sender, options);
        _holder = new SlotHolder(_leases, _nodes, options, time, logger);
        _watch = new SlotLeaseWatch(api, _leases, _holder, options, time, logger);
    }

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
        return new LeaseSlotClient(KubeApi.FromKubeconfig(kubeconfigPath, options.Transport.RequestTimeout, requests, options.Transport.Token, options.Transport.Connection), options, time, logger);
    }

    /// <inheritdoc/>
    public async Task<SlotAnswer> AcquireAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var member = request.Member;
        var digest = Digest.TryParse(request.DesiredDigest, out var parsed, out var error)
            ? parsed.ToString()
            : throw new ArgumentException(error, nameof(request));

        var state = new SlotPlanState(member.NodeName, member.Pool, digest) { Known = _leases.Own(member).FirstOrDefault() };
        while (true)
        {
            var step = SlotPlanner.Next(state, new SlotPlanContext(_time.GetUtcNow(), _options));
            if (step.Counted is { } counted)
            {
                _counts.Record(member.Pool, counted, _time.GetUtcNow());
            }

            switch (step)
            {
                case SlotStep.ListLeases:
                    state = state.Listed(await _leases.ListAsync(member, cancellationToken).ConfigureAwait(false), _leases.ListedVersion, _counts.Last);
                    break;
                case SlotStep.ReadPool:
                    state = state.PoolRead(await _nodes.ListPoolAsync(member.Pool, cancellationToken).ConfigureAwait(false));
                    break;
                case SlotStep.ReadDegraded:
                    state = state.DegradedRead(await _nodes.ListDegradedAsync(member.Pool, cancellationToken).ConfigureAwait(false));
                    break;
                case SlotStep.ReadHolders read:
                    state = state.HoldersRead(await _nodes.ReadHoldersAsync(read.Names, cancellationToken).ConfigureAwait(false));
                    break;
                case SlotStep.TakeUp takeUp:
                    if (await TakeUpAsync(takeUp.Lease, member, digest, cancellationToken).ConfigureAwait(false) is { } answer)
                    {
                        // A slot handed to us is granted by this take-up: checked like a take. One held already is not
                        // (we may be cordoned for it; giving it back would let another node cordon too).
                        if (answer is SlotAnswer.Acquired handed)
                        {
                            state = state.Won(handed);
                            break;
                        }

                        return answer;
                    }

                    SlotLog.RaceLost(_logger, takeUp.Lease.Name, member.NodeName);
                    state = state.RaceLost(step);
                    break;
                case SlotStep.Take take:
                    if (await _leases.TakeAsync(take.Candidate, member.NodeName, digest, member.Pool, take.Slots, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                    {
                        state = state.Won(Acquired(take.Candidate, member, digest));
                        break;
                    }

                    SlotLog.RaceLost(_logger, take.Candidate.Name, member.NodeName);
                    state = state.RaceLost(step);
                    break;
                case SlotStep.RecheckHalt:
                    state = state.Rechecked(await _nodes.ListDegradedAsync(member.Pool, cancellationToken).ConfigureAwait(false));
                    break;
                case SlotStep.GiveBack { Reply: var late }:
                    SlotLog.GivenBackHalted(_logger, state.Granted!.Slot, member.NodeName, late.DegradedNodes.Count, late.DesiredDigest, string.Join(", ", late.DegradedNodes));
                    await _holder.ReleaseAsync(member, cancellationToken).ConfigureAwait(false);
                    return late;
                case SlotStep.Answer { Reply: var reply, Slots: var slots }:
                    Log(reply, member.Pool, slots);
                    return reply;
                default:
                    throw new InvalidOperationException($"unknown slot step {step}");
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Answered from the Leases remembered from before a restart when there are any (see
    /// <see cref="LeaseSlotClientOptions.MemoryPath"/>): the holder back from its reboot lists nothing. Every write on a
    /// remembered Lease is conditional, so one that is no longer ours costs a 409 and a list, and the agent asks before
    /// it disrupts anything; so a remembered slot's digest is not confirmed (null). A listed one names its digest unless it
    /// was handed to us and is not taken up yet.
    /// </remarks>
    public async Task<HeldSlot?> HoldsAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (_leases.Recall(member) is [var remembered, ..])
        {
            return new HeldSlot(remembered.Name, null);
        }

        var leases = await _leases.ListAsync(member, cancellationToken).ConfigureAwait(false);
        return leases.Find(l => l.Holder == member.NodeName) is { } mine
            ? new HeldSlot(mine.Name, mine.HandedOverBy is null && Digest.TryParse(mine.Digest, out var named, out _) ? (Digest?)named : null)
            : null;
    }

    /// <inheritdoc/>
    public Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return _holder.RenewAsync(member, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>A slot goes to the next waiting node of the pool when there is one (see <see cref="SlotHolder"/>).</remarks>
    public Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return _holder.ReleaseAsync(member, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One watch of the pool's Leases that name the member or are free (see <see cref="SlotLeaseWatch"/>).</remarks>
    public IAsyncEnumerable<SlotChance> WatchAsync(SlotMember member, CancellationToken cancellationToken) => _watch.WatchAsync(member, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _api.Dispose();

    /// <summary>
    /// Writes <paramref name="lease"/>, which names us, to name <paramref name="digest"/> and to be taken up (a hand-over
    /// mark goes); any other slot handed to us as well is passed on. Null when the Lease changed since it was read.
    /// </summary>
    private async Task<SlotAnswer?> TakeUpAsync(SlotLease lease, SlotMember member, string digest, CancellationToken cancellationToken)
    {
        var body = SlotLeaseBodies.Renew(lease, digest, _options.LeaseKeys, _time.GetUtcNow(), _options.LeaseDuration);
        if (!await _leases.PutAsync(lease, body, member.Pool, ours: true, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // Two holders finishing at once may both have picked us; one slot is all a node may use.
        foreach (var extra in _leases.Own(member).Where(l => l.Name != lease.Name))
        {
            await _holder.PassOnAsync(extra, member, cancellationToken).ConfigureAwait(false);
        }

        if (lease.HandedOverBy is { } by)
        {
            SlotLog.TookUp(_logger, lease.Name, member.NodeName, by, digest);
            return new SlotAnswer.Acquired(lease.Name, HandedOverBy: by);
        }

        return new SlotAnswer.Held(lease.Name);
    }

    /// <summary>The answer to a take that won, logged.</summary>
    private SlotAnswer.Acquired Acquired(SlotCandidate taken, SlotMember member, string digest)
    {
        if (taken.TakeoverReason is { } reason)
        {
            SlotLog.TakenOver(_logger, taken.Name, taken.Existing!.Holder, member.NodeName, reason);
        }

        SlotLog.Acquired(_logger, taken.Name, member.Pool, member.NodeName, digest);
        return new SlotAnswer.Acquired(taken.Name, taken.TakeoverReason is null ? null : taken.Existing!.Holder);
    }

    /// <summary>Logs a refusal (full, halted); a slot held already needs no line.</summary>
    private void Log(SlotAnswer answer, string pool, int slots)
    {
        switch (answer)
        {
            case SlotAnswer.Full full:
                SlotLog.Full(_logger, pool, slots, string.Join(", ", full.Holders));
                break;
            case SlotAnswer.Halted halted:
                SlotLog.Halted(_logger, pool, halted.DegradedNodes.Count, halted.DesiredDigest, string.Join(", ", halted.DegradedNodes));
                break;
        }
    }
}
