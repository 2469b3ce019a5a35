using System.Text.Json;

namespace NodeDaemon.Packaging.Tests.Docs;

/// <summary><c>docs/admission-policy.yaml</c>, read by real kubectl offline: admissionregistration.k8s.io/v1 policies,
/// each bound with Deny, each failing closed and matching only the daemon's service account.</summary>
/// <remarks>kubectl checks syntax and kinds, not CEL (only a kube-apiserver compiles the expressions); what the rules
/// mean is tested against the test API server, which reads this file (NodeDaemon.Sim.Tests AdmissionPolicyTests).</remarks>
public sealed class AdmissionPolicyFileTests
{
    [Fact]
    public async Task EveryPolicyFailsClosedIsBoundWithDenyAndMatchesOnlyTheDaemon()
    {
        var objects = await RbacTests.ParseManifestAsync("admission-policy.yaml");
        var policies = objects.Where(o => Kind(o) == "ValidatingAdmissionPolicy").ToList();
        var bindings = objects.Where(o => Kind(o) == "ValidatingAdmissionPolicyBinding").ToList();

        Assert.Equal(["nodedaemon-own-node", "nodedaemon-own-token", "nodedaemon-pool-leases"], policies.Select(Name));
        Assert.Equal(policies.Count * 2, objects.Count);
        Assert.All(objects, o => Assert.Equal("admissionregistration.k8s.io/v1", o.GetProperty("apiVersion").GetString()));
        foreach (var policy in policies)
        {
            var spec = policy.GetProperty("spec");
            Assert.Equal("Fail", spec.GetProperty("failurePolicy").GetString());
            var condition = Assert.Single(spec.GetProperty("matchConditions").EnumerateArray());
            Assert.Equal("request.userInfo.username == 'system:serviceaccount:nodedaemon:nodedaemon'", condition.GetProperty("expression").GetString());
            Assert.All(spec.GetProperty("validations").EnumerateArray(), v => Assert.Equal("Forbidden", v.GetProperty("reason").GetString()));

            var binding = Assert.Single(bindings, b => b.GetProperty("spec").GetProperty("policyName").GetString() == Name(policy));
            Assert.Equal(["Deny"], binding.GetProperty("spec").GetProperty("validationActions").EnumerateArray().Select(a => a.GetString()));
            // A policy with a paramKind needs a binding with a paramRef, and only then.
            Assert.Equal(spec.TryGetProperty("paramKind", out _), binding.GetProperty("spec").TryGetProperty("paramRef", out _));
        }
    }

    private static string? Kind(JsonElement o) => o.GetProperty("kind").GetString();

    private static string? Name(JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString();
}
