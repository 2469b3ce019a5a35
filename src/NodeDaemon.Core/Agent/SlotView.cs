using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>What the node knows about its pool slot, in one value: the slot it holds (and in which pool), or the last
/// refusal; changed only by the pure rules below, from the slot seam's answers and news.</summary>
/// <remarks>Asking the API before every decision would cost two lists a turn for an answer that changes only through
/// our own requests and others handing a slot on; so the view is learned once at start (<see cref="Found"/>), then
/// follows the answers (<see cref="Answered"/>) and the slot watch's news (<see cref="After"/>). A slot taken over or deleted behind our back shows up
/// at the next request (the slot seam then finds none naming us) or the next start.</remarks>
/// <param name="Held">The slot held (or handed to us and not taken up yet), with its digest when confirmed; null when none.</param>
/// <param name="Holder">The member (node and pool) the slot was taken as; null when none is held.</param>
/// <param name="Refusal">The last request that got no slot, with when to ask again; null after a slot was taken.</param>
public sealed record SlotView(HeldSlot? Held = null, SlotMember? Holder = null, SlotRefusal? Refusal = null)
{
    /// <summary>Knows of no slot and no refusal.</summary>
    public static readonly SlotView None = new();

    /// <summary>A slot found held at start (a restart, a reboot): its digest is what the cluster confirmed, if anything.</summary>
    public static SlotView Found(SlotMember member, HeldSlot held) => new(held, member);

    /// <summary>The view after <paramref name="answer"/> to a request of <paramref name="member"/> for <paramref name="digest"/>,
    /// whatever it was before: the answer is the cluster's word.</summary>
    /// <remarks>A slot taken or held now names <paramref name="digest"/>; a refusal (full or halted) means the pool has
    /// no slot naming us, and the next request waits until <paramref name="retryAt"/>.</remarks>
    public static SlotView Answered(SlotAnswer answer, SlotMember member, Digest digest, DateTimeOffset retryAt)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer switch
        {
            SlotAnswer.Acquired acquired => new(new HeldSlot(acquired.Slot, digest), member),
            SlotAnswer.Held held => new(new HeldSlot(held.Slot, digest), member),
            _ => new(null, null, new SlotRefusal(answer.Message, digest, retryAt)),
        };
    }

    /// <summary>The view after the slot watch of <paramref name="watched"/> brought <paramref name="chance"/> at <paramref name="now"/>.</summary>
    /// <remarks>A slot handed to us counts as held, not yet confirmed (the next request takes it up, or the decider
    /// passes it on); any news ends a refusal's wait at once.</remarks>
    public SlotView After(SlotChance chance, SlotMember watched, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(chance);
        var view = chance.HandedToUs ? this with { Held = new HeldSlot(chance.Slot, null), Holder = watched } : this;
        return view.Refusal is { } refusal ? view with { Refusal = refusal with { RetryAt = now } } : view;
    }

    /// <summary>When a refused node asks again at the latest: 1–2 times <paramref name="recheck"/> after <paramref name="now"/>.</summary>
    /// <remarks>The jitter (0–1) keeps a pool of waiting nodes from asking in step when the fallback recheck is what wakes them.</remarks>
    public static DateTimeOffset RetryAt(DateTimeOffset now, TimeSpan recheck, double jitter) => now + recheck * (1 + Math.Clamp(jitter, 0, 1));
}
