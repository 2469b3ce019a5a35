namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>Who a request comes from, as authentication names it: a user name, its groups and its extra values.</summary>
/// <param name="Name">The user name (<c>system:serviceaccount:NS:NAME</c> for a service account).</param>
/// <param name="Groups">The groups, as a token authenticator adds them.</param>
public sealed record ApiUser(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The extra key naming the Node a service-account token is bound to (apiserver
    /// <c>pkg/authentication/serviceaccount/util.go</c> <c>NodeNameKey</c>).</summary>
    public const string NodeNameKey = "authentication.kubernetes.io/node-name";

    /// <summary>The extra key carrying that Node's uid (<c>NodeUIDKey</c>).</summary>
    public const string NodeUidKey = "authentication.kubernetes.io/node-uid";

    /// <summary>The extra key naming the credential (<c>CredentialIDKey</c>: <c>JTI=</c> and the token's id).</summary>
    public const string CredentialIdKey = "authentication.kubernetes.io/credential-id";

    /// <summary>What the authenticator adds besides name and groups (admission policies read it as
    /// <c>request.userInfo.extra</c>); empty for most users.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The Node this user's token is bound to (its <see cref="NodeNameKey"/> value), or null.</summary>
    public string? NodeName => Extra.TryGetValue(NodeNameKey, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>The group whose members the real server lets do anything, bypassing authorization.</summary>
    public const string Masters = "system:masters";

    /// <summary>The admin of the test API server (the token of its default kubeconfig): allowed everything.</summary>
    public static ApiUser Admin { get; } = new("nodedaemon-sim-admin", [Masters, "system:authenticated"]);

    /// <summary>A request without credentials, as the anonymous authenticator names it.</summary>
    public static ApiUser Anonymous { get; } = new("system:anonymous", ["system:unauthenticated"]);

    /// <summary>A service account, with the groups the service-account token authenticator gives it.</summary>
    public static ApiUser ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);

    /// <summary>Whether the real server lets this user past authorization without asking RBAC.</summary>
    public bool IsMaster => Groups.Contains(Masters, StringComparer.Ordinal);

    /// <summary>Authenticated (not the anonymous user).</summary>
    public bool IsAuthenticated => Groups.Contains("system:authenticated", StringComparer.Ordinal);
}
