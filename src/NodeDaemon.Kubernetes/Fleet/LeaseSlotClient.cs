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
/// read or write next is <see cref="SlotPlanner"/>'s choice; this class performs it. A holder that is done hands its
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
    private readonly PoolCountCache _counts = new();
    private readonly ListedVersionCache _listed = new();
    private readonly OwnLeaseCache _own;

    private LeaseSlotClient(KubeApi api, LeaseSlotClientOptions options, TimeProvider time, ILogger logger)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        _sender = new ApiSender(api, options.Transport, time, logger);
        _own = new OwnLeaseCache(options.MemoryPath, options.LeaseKeys, logger);
    }

    private string Namespace => _options.Fleet.LeaseNamespace;

    private SlotLeaseKeys Keys => _options.LeaseKeys;

    // Lost races before a renew or release gives up.
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
        var member = request.Member;
        var digest = Digest.TryParse(request.DesiredDigest, out var parsed, out var error)
            ? parsed.ToString()
            : throw new ArgumentException(error, nameof(request));

        var state = new SlotPlanState(member.NodeName, member.Pool, digest) { Known = _own.Own(member).FirstOrDefault() };
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
                    state = state.Listed(await ListLeasesAsync(member, cancellationToken).ConfigureAwait(false), _listed.Version, _counts.Last);
                    break;
                case SlotStep.ReadPool:
                    state = state.PoolRead(await ListPoolAsync(member.Pool, cancellationToken).ConfigureAwait(false));
                    break;
                case SlotStep.ReadDegraded:
                    state = state.DegradedRead(await ListDegradedAsync(member.Pool, cancellationToken).ConfigureAwait(false));
                    break;
                case SlotStep.ReadHolders read:
                    state = state.HoldersRead(await ReadHoldersAsync(read.Names, cancellationToken).ConfigureAwait(false));
                    break;
                case SlotStep.TakeUp takeUp:
                    if (await TakeUpAsync(takeUp.Lease, member, digest, cancellationToken).ConfigureAwait(false) is { } answer)
                    {
                        return answer;
                    }

                    LogRaceLost(takeUp.Lease.Name, member.NodeName);
                    state = state.RaceLost(step);
                    break;
                case SlotStep.Take take:
                    if (await TakeAsync(take.Candidate, member.NodeName, digest, member.Pool, take.Slots, cancellationToken).ConfigureAwait(false))
                    {
                        return Acquired(take.Candidate, member, digest);
                    }

                    LogRaceLost(take.Candidate.Name, member.NodeName);
                    state = state.RaceLost(step);
                    break;
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
        if (_own.Recall(member) is [var remembered, ..])
        {
            return new HeldSlot(remembered.Name, null);
        }

        var leases = await ListLeasesAsync(member, cancellationToken).ConfigureAwait(false);
        return leases.Find(l => l.Holder == member.NodeName) is { } mine
            ? new HeldSlot(mine.Name, mine.HandedOverBy is null && Digest.TryParse(mine.Digest, out var named, out _) ? (Digest?)named : null)
            : null;
    }

    /// <inheritdoc/>
    public void Dispose() => _api.Dispose();

    /// <summary>The answer to a take that won, logged.</summary>
    private SlotAnswer.Acquired Acquired(SlotCandidate taken, SlotMember member, string digest)
    {
        if (taken.TakeoverReason is { } reason)
        {
            LogTakenOver(taken.Name, taken.Existing!.Holder, member.NodeName, reason);
        }

        LogAcquired(taken.Name, member.Pool, member.NodeName, digest);
        return new SlotAnswer.Acquired(taken.Name, taken.TakeoverReason is null ? null : taken.Existing!.Holder);
    }

    /// <summary>Logs a refusal (full, halted); a slot held already needs no line.</summary>
    private void Log(SlotAnswer answer, string pool, int slots)
    {
        switch (answer)
        {
            case SlotAnswer.Full full:
                LogFull(pool, slots, string.Join(", ", full.Holders));
                break;
            case SlotAnswer.Halted halted:
                LogHalted(pool, halted.DegradedNodes.Count, halted.DesiredDigest, string.Join(", ", halted.DegradedNodes));
                break;
        }
    }
}
