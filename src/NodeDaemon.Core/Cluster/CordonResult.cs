namespace NodeDaemon.Core.Cluster;

/// <summary>What a cordon or uncordon did, and the node as it is afterwards, so the caller decides next without reading it again.</summary>
/// <param name="Changed">True when this call wrote the cordon (or lifted it); false when it left the node as it was.</param>
/// <param name="Node">The node as written (the PATCH answer), or as just read when nothing was written.</param>
public sealed record CordonResult(bool Changed, NodeSnapshot Node);
