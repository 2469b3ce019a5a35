using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>
/// Graceful pod deletion as the apiserver and kubelet do it together: the pod gets <c>deletionTimestamp</c> (now + grace)
/// and <c>deletionGracePeriodSeconds</c>, and disappears when the grace period ends. Unscheduled and finished pods, and a
/// grace of 0, go at once.
/// </summary>
public sealed class PodTerminator
{
    private readonly ObjectStore _store;
    private readonly SimScheduler _scheduler;

    /// <summary>A terminator over the store and the scaled scheduler.</summary>
    public PodTerminator(ObjectStore store, SimScheduler scheduler)
    {
        _store = store;
        _scheduler = scheduler;
    }

    /// <summary>Deletes a pod with <paramref name="gracePeriodSeconds"/> (null: the pod's own, default 30) and returns its state.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="name">The pod name.</param>
    /// <param name="gracePeriodSeconds">From DeleteOptions or the query; null for the pod's terminationGracePeriodSeconds.</param>
    /// <param name="uidPrecondition">DeleteOptions.preconditions.uid, checked as the real server does.</param>
    /// <param name="rvPrecondition">DeleteOptions.preconditions.resourceVersion.</param>
    public JsonObject Delete(string ns, string name, long? gracePeriodSeconds, string? uidPrecondition = null, string? rvPrecondition = null)
    {
        lock (_store.Gate)
        {
            var pod = _store.Get(ResourceTypes.Pods, ns, name) ?? throw new ApiException(StatusErrors.NotFound(ResourceTypes.Pods, name));
            var uid = ObjectMeta.Uid(pod)!;
            if (uidPrecondition is not null && uidPrecondition != uid)
            {
                throw new ApiException(StatusErrors.ConflictWith(ResourceTypes.Pods, name,
                    $"Precondition failed: UID in precondition: {uidPrecondition}, UID in object meta: {uid}"));
            }

            if (rvPrecondition is not null && rvPrecondition != ObjectMeta.ResourceVersion(pod))
            {
                throw new ApiException(StatusErrors.ConflictWith(ResourceTypes.Pods, name,
                    $"Precondition failed: ResourceVersion in precondition: {rvPrecondition}, ResourceVersion in object meta: {ObjectMeta.ResourceVersion(pod)}"));
            }

            var grace = gracePeriodSeconds ?? JsonNumber.Read(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            var phase = PodStatus.Phase(pod);
            if (pod["spec"]?["nodeName"] is null || phase is "Succeeded" or "Failed")
            {
                grace = 0;
            }

            if (PodStatus.IsTerminating(pod))
            {
                // A second delete may only shorten the grace period; 0 removes the pod now.
                if (grace == 0)
                {
                    return _store.Remove(ResourceTypes.Pods, ns, name, uid) ?? pod;
                }

                return pod;
            }

            if (grace <= 0)
            {
                return _store.Remove(ResourceTypes.Pods, ns, name, uid) ?? pod;
            }

            var terminating = _store.Update(ResourceTypes.Pods, ns, name, p => Stamp(p, grace), deleting: true);
            _scheduler.After(TimeSpan.FromSeconds(grace), () => _store.Remove(ResourceTypes.Pods, ns, name, uid));
            return terminating;
        }
    }

    private JsonObject Stamp(JsonObject pod, long grace)
    {
        var meta = ObjectMeta.Metadata(pod);
        meta["deletionTimestamp"] = ObjectMeta.Timestamp(_store.Time.GetUtcNow().AddSeconds(grace));
        meta["deletionGracePeriodSeconds"] = grace;
        return pod;
    }

    /// <summary>Reads a grace period from a query string value.</summary>
    public static long? ParseGrace(string? text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var grace) ? grace : null;
}
