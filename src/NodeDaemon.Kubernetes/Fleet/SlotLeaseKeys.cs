using NodeDaemon.Core.Options;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The annotations a slot Lease carries besides its spec.</summary>
/// <param name="Digest">The digest the holder works on.</param>
/// <param name="HandedOverBy">The node that handed the slot to its holder, present until the holder takes it up.</param>
public sealed record SlotLeaseKeys(string Digest, string HandedOverBy)
{
    /// <summary>The keys under <paramref name="prefix"/> (<c>nodedaemon.io/</c>).</summary>
    public static SlotLeaseKeys For(string prefix) => new(prefix + "desired-digest", prefix + "handed-over-by");

    /// <summary>The keys under the default prefix.</summary>
    public static SlotLeaseKeys Default { get; } = For(NodeDaemonOptionsDefaults.AnnotationPrefix);
}
