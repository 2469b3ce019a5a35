using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>Which requests name the daemon as their field manager, as a table.</summary>
public sealed class FieldManagerPathTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "PATCH", "api/v1/nodes/node-a", "api/v1/nodes/node-a?fieldManager=nodedaemon" },
        { "POST", "api/v1/namespaces/ns/pods/p/eviction", "api/v1/namespaces/ns/pods/p/eviction?fieldManager=nodedaemon" },
        { "POST", "apis/coordination.k8s.io/v1/namespaces/ns/leases", "apis/coordination.k8s.io/v1/namespaces/ns/leases?fieldManager=nodedaemon" },
        { "PUT", "apis/coordination.k8s.io/v1/namespaces/ns/leases/l", "apis/coordination.k8s.io/v1/namespaces/ns/leases/l?fieldManager=nodedaemon" },
        { "POST", "api/v1/namespaces/ns/events?dryRun=All", "api/v1/namespaces/ns/events?dryRun=All&fieldManager=nodedaemon" },
        { "GET", "api/v1/nodes/node-a", "api/v1/nodes/node-a" },
        { "DELETE", "api/v1/namespaces/ns/pods/p", "api/v1/namespaces/ns/pods/p" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void WritesAndOnlyWritesNameTheFieldManager(string method, string path, string expected) =>
        Assert.Equal(expected, KubePaths.WithFieldManager(new HttpMethod(method), path));
}
