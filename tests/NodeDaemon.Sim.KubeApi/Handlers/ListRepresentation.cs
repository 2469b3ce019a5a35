using System.Globalization;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>What a list request's <c>Accept</c> header asks for: the typed list, or only each object's metadata
/// (<c>PartialObjectMetadataList</c>, as client-go's metadata client asks for it).</summary>
/// <param name="MetadataApiVersion">null: the typed list; else the apiVersion of a metadata-only list (<c>meta.k8s.io/v1</c>).</param>
internal sealed record ListRepresentation(string? MetadataApiVersion)
{
    private static readonly ListRepresentation s_typed = new((string?)null);

    /// <summary>Whether only metadata is served.</summary>
    public bool MetadataOnly => MetadataApiVersion is not null;

    /// <summary>Negotiates like the real server (apiserver <c>negotiation.NegotiateMediaTypeOptions</c>, then
    /// <c>handlers/response.go</c>): the JSON clauses by preference, the first whose conversion can be served wins;
    /// none, or no header: the typed list (the real server falls back to its first type too).</summary>
    /// <remarks>A Table (what kubectl asks for first) is not served here, so its clause is passed over and kubectl gets
    /// the typed list of its fallback clause; protobuf and YAML clauses likewise. <c>as=PartialObjectMetadata</c> on a
    /// list is the real server's 406.</remarks>
    public static ListRepresentation For(string? accept, ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var clause in Clauses(accept ?? ""))
        {
            if (clause.MediaRange is not ("application/json" or "application/*" or "*/*"))
            {
                continue;
            }

            var kind = clause.Parameters.GetValueOrDefault("as");
            var group = clause.Parameters.GetValueOrDefault("g");
            var version = clause.Parameters.GetValueOrDefault("v");
            if (kind is null && group is null && version is null)
            {
                return s_typed;
            }

            if (group != "meta.k8s.io" || version is not ("v1" or "v1beta1"))
            {
                continue;
            }

            switch (kind)
            {
                case "PartialObjectMetadataList":
                    return new ListRepresentation($"meta.k8s.io/{version}");
                case "PartialObjectMetadata":
                    var internalList = $"*{(type.Group.Length == 0 ? "core" : type.Group.Split('.')[0])}.{type.ListKind}";
                    throw new ApiException(StatusErrors.Status(406, "NotAcceptable",
                        $"you requested PartialObjectMetadata, but the requested object is a list ({internalList})"));
                default:
                    continue;
            }
        }

        return s_typed;
    }

    /// <summary>The clauses of an Accept header, most preferred (highest q) first, the header's order among equals; q=0 dropped.</summary>
    private static IEnumerable<(string MediaRange, Dictionary<string, string> Parameters)> Clauses(string accept) =>
        accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(clause =>
            {
                var parts = clause.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var parameters = parts.Skip(1).Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries)).Where(p => p.Length == 2)
                    .GroupBy(p => p[0].ToLowerInvariant(), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
                var q = parameters.Remove("q", out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 1;
                return (MediaRange: parts.Length > 0 ? parts[0].ToLowerInvariant() : "", Parameters: parameters, Q: q);
            })
            .Where(c => c.Q > 0)
            .OrderByDescending(c => c.Q)
            .Select(c => (c.MediaRange, c.Parameters));
}
