using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>
/// A list's <c>limit</c> and <c>continue</c>: at most <c>limit</c> items in key order (namespace, then name, as etcd
/// keeps them), and a token that resumes after the last one, as kube-apiserver pages a list.
/// </summary>
/// <remarks>
/// The token is opaque to clients (base64 of the last key). Unlike the real server, a continued list is served from the
/// current state, not from a snapshot at the first page's resourceVersion, and <c>remainingItemCount</c> is never set
/// (the real server sets it only for lists without a selector).
/// </remarks>
internal static class ListPage
{
    /// <summary>The page of <paramref name="items"/> (sorted by key) that <paramref name="limit"/> and <paramref name="token"/> ask for, and the token for the next one (null: none).</summary>
    public static (List<JsonObject> Page, string? Next) Cut(List<JsonObject> items, string? limit, string? token)
    {
        var after = string.IsNullOrEmpty(token) ? null : Decode(token);
        var rest = after is null ? items : [.. items.Where(o => string.CompareOrdinal(Key(o), after) > 0)];
        if (string.IsNullOrEmpty(limit))
        {
            return (rest, null);
        }

        if (!long.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new ApiException(StatusErrors.BadRequest($"invalid limit: {limit}"));
        }

        // limit=0 (or none) is "everything", as the real server reads it.
        if (count <= 0 || count >= rest.Count)
        {
            return (rest, null);
        }

        var page = rest.GetRange(0, (int)count);
        return (page, Convert.ToBase64String(Encoding.UTF8.GetBytes(Key(page[^1]))));
    }

    private static string Key(JsonObject obj) => ObjectMeta.Key(ObjectMeta.Namespace(obj), ObjectMeta.Name(obj)!);

    private static string Decode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw new ApiException(StatusErrors.BadRequest($"continue key is not valid: {token}"));
        }
    }
}
