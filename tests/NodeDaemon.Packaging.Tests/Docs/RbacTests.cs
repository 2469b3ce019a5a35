using System.Globalization;
using System.Text;
using System.Text.Json;
using NodeDaemon.Core.Options;
using NodeDaemon.Packaging.Tests.Support;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Docs;

/// <summary><c>docs/rbac.yaml</c>, read by real kubectl offline, grants exactly the access the daemon needs.</summary>
public sealed class RbacTests
{
    private const string CloudSdkBin = "/usr/lib/google-cloud-sdk/bin";

    /// <summary>What the daemon requests, one <c>group/resource:verb</c> each ("" is the core group): pods watch for the
    /// drain's pod-gone wait; no events.k8s.io (core/v1 Events only); no poddisruptionbudgets get: the eviction's 429 names
    /// the blocking budget, and a list names the budgets of a pod under two; watch: a refused pod asks again when its budget's
    /// status allows. The scenarios enforce the same file.</summary>
    private static readonly string[] s_clusterWide =
    [
        "/nodes:get", "/nodes:list", "/nodes:watch", "/nodes:patch", "/nodes/status:patch",
        "/pods:get", "/pods:list", "/pods:watch",
        "/pods/eviction:create",
        "/events:create", "/events:patch",
        "policy/poddisruptionbudgets:list", "policy/poddisruptionbudgets:watch",
    ];

    /// <summary>What the Lease slot client uses (docs/protocol.md, Fleet slots): no get (a list shows every slot), no delete; watch while waiting.</summary>
    private static readonly string[] s_leaseNamespace =
    [
        "coordination.k8s.io/leases:list", "coordination.k8s.io/leases:watch", "coordination.k8s.io/leases:create", "coordination.k8s.io/leases:update",
    ];

    [Fact]
    public async Task ClusterRoleGrantsTheSubsetAndNothingElse()
    {
        var objects = await ParseAsync();

        Assert.Equal(s_clusterWide.Order(StringComparer.Ordinal), Grants(Single(objects, "ClusterRole", "nodedaemon")));
    }

    [Fact]
    public async Task LeasesAreGrantedOnlyInTheDefaultLeaseNamespace()
    {
        var objects = await ParseAsync();

        var role = Single(objects, "Role", "nodedaemon-leases");
        Assert.Equal(NodeDaemonOptionsDefaults.LeaseNamespace, role.GetProperty("metadata").GetProperty("namespace").GetString());
        Assert.Equal(s_leaseNamespace.Order(StringComparer.Ordinal), Grants(role));
    }

    [Fact]
    public async Task TokensAreGrantedOnlyForTheDaemonsOwnAccountInItsNamespace()
    {
        var objects = await ParseAsync();

        var role = Single(objects, "Role", "nodedaemon-token");
        Assert.Equal("nodedaemon", role.GetProperty("metadata").GetProperty("namespace").GetString());
        Assert.Equal(["/serviceaccounts/token:create"], Grants(role));
        var rule = Assert.Single(role.GetProperty("rules").EnumerateArray());
        Assert.Equal(["nodedaemon"], rule.GetProperty("resourceNames").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task BindingsGiveEveryRoleToTheServiceAccount()
    {
        var objects = await ParseAsync();
        var account = Single(objects, "ServiceAccount", "nodedaemon");
        var accountNamespace = account.GetProperty("metadata").GetProperty("namespace").GetString();

        foreach (var (binding, roleKind, roleName) in new[]
                 {
                     ("ClusterRoleBinding", "ClusterRole", "nodedaemon"), ("RoleBinding", "Role", "nodedaemon-leases"),
                     ("RoleBinding", "Role", "nodedaemon-token"),
                 })
        {
            var found = objects.Single(o => Kind(o) == binding && o.GetProperty("metadata").GetProperty("name").GetString() == roleName);
            Assert.Equal(roleKind, found.GetProperty("roleRef").GetProperty("kind").GetString());
            Assert.Equal(roleName, found.GetProperty("roleRef").GetProperty("name").GetString());
            var subject = Assert.Single(found.GetProperty("subjects").EnumerateArray());
            Assert.Equal("ServiceAccount", subject.GetProperty("kind").GetString());
            Assert.Equal("nodedaemon", subject.GetProperty("name").GetString());
            Assert.Equal(accountNamespace, subject.GetProperty("namespace").GetString());
        }
    }

    /// <summary>Every object of the file, as kubectl parsed it.</summary>
    /// <remarks><c>kubectl create --dry-run=client</c> still asks a server for discovery, so this uses
    /// <c>annotate --local</c>, which parses the YAML, maps every kind to a known resource and prints the objects
    /// without any server. It checks syntax and kinds; the schema is checked by the assertions above.</remarks>
    private static async Task<List<JsonElement>> ParseAsync()
    {
        var objects = await ParseManifestAsync("rbac.yaml");
        Assert.Equal(8, objects.Count);
        return objects;
    }

    /// <summary>Every object of <c>docs/</c><paramref name="name"/>, as kubectl parsed it (see <see cref="ParseAsync"/>).</summary>
    internal static async Task<List<JsonElement>> ParseManifestAsync(string name)
    {
        var file = Path.Combine(RepositoryPaths.Root, "docs", name);
        var result = await Tool.RunAsync(FindKubectl(), "annotate", "--local", "-f", file, "-o", "json", "nodedaemon.io/checked=true");
        // One JSON document per object, back to back.
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(result.EnsureSuccess().Stdout), new JsonReaderOptions { AllowMultipleValues = true });
        var objects = new List<JsonElement>();
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            objects.Add(document.RootElement.Clone());
        }

        return objects;
    }

    private static JsonElement Single(List<JsonElement> objects, string kind, string name) =>
        Assert.Single(objects, o => Kind(o) == kind && o.GetProperty("metadata").GetProperty("name").GetString() == name);

    private static string? Kind(JsonElement o) => o.GetProperty("kind").GetString();

    private static IEnumerable<string> Grants(JsonElement role) =>
        role.GetProperty("rules").EnumerateArray()
            .SelectMany(rule =>
                from g in rule.GetProperty("apiGroups").EnumerateArray()
                from r in rule.GetProperty("resources").EnumerateArray()
                from v in rule.GetProperty("verbs").EnumerateArray()
                select $"{g.GetString()}/{r.GetString()}:{v.GetString()}")
            .Order(StringComparer.Ordinal);

    /// <summary>The newest google-cloud-sdk <c>kubectl.1.NN</c>, else kubectl on PATH (Debian's kubernetes-client).</summary>
    private static string FindKubectl()
    {
        var newest = Directory.Exists(CloudSdkBin)
            ? Directory.GetFiles(CloudSdkBin, "kubectl.1.*")
                .Select(f => (File: f, Ok: int.TryParse(Path.GetFileName(f)["kubectl.1.".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var minor), Minor: minor))
                .Where(c => c.Ok)
                .OrderByDescending(c => c.Minor)
                .Select(c => c.File)
                .FirstOrDefault()
            : null;
        return newest ?? Tool.OnPath("kubectl");
    }
}
