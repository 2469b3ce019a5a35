using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Core.Images;

/// <summary>What a host's containers policy requires of one image.</summary>
public enum PolicyRequirementKind
{
    /// <summary>A signature is checked (<c>signedBy</c> or <c>sigstoreSigned</c>, and no <c>reject</c>).</summary>
    Verifies,

    /// <summary>Every requirement is <c>insecureAcceptAnything</c>: the image is accepted with no signature check at all.</summary>
    AcceptsAnything,

    /// <summary>A <c>reject</c>: the host refuses the image (rpm-ostree's pull fails and says so).</summary>
    Rejects,
}

/// <summary>The requirements that apply to one image, and the scope they came from.</summary>
/// <param name="Kind">What they require.</param>
/// <param name="Scope">The matching scope: <c>transports.docker["SCOPE"]</c>, <c>transports.docker[""]</c> or <c>default</c>.</param>
public sealed record PolicyRequirement(PolicyRequirementKind Kind, string Scope);

/// <summary>A parsed <c>containers-policy.json(5)</c>, read as containers/image reads it for the <c>docker</c> transport
/// (which rpm-ostree's <c>ostree-image-signed:docker://</c> pulls go through).</summary>
/// <remarks>
/// Scope resolution is containers/image's (docker/policyconfiguration/naming.go, signature/policy_eval.go): the most
/// specific match wins and the others are ignored, in this order: the full reference (<c>name@digest</c> or
/// <c>name:tag</c>), the repository, each parent namespace up to the registry host (with its port), the wildcards
/// <c>*.domain</c> of the host without its port, then the transport's <c>""</c> scope, then the global <c>default</c>.
/// Like containers/image it refuses an unknown requirement type or an empty requirement list (its parse is strict,
/// and a file it refuses fails every pull).
/// </remarks>
public sealed class ContainersPolicy
{
    private static readonly HashSet<string> s_known = ["insecureAcceptAnything", "reject", "signedBy", "sigstoreSigned"];
    private readonly PolicyRequirementKind _default;
    private readonly Dictionary<string, PolicyRequirementKind> _docker;

    private ContainersPolicy(PolicyRequirementKind @default, Dictionary<string, PolicyRequirementKind> docker)
    {
        _default = @default;
        _docker = docker;
    }

    /// <summary>Parses <paramref name="json"/>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static ContainersPolicy Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON ({e.Message})", e);
        }

        if (root is not JsonObject policy)
        {
            throw new FormatException("not a JSON object");
        }

        var @default = Requirements(policy["default"], "default");
        var docker = new Dictionary<string, PolicyRequirementKind>(StringComparer.Ordinal);
        if (policy["transports"] is { } transports)
        {
            if (transports is not JsonObject byTransport)
            {
                throw new FormatException("transports is not an object");
            }

            foreach (var (name, scopes) in byTransport)
            {
                if (scopes is not JsonObject byScope)
                {
                    throw new FormatException($"transports.{name} is not an object");
                }

                foreach (var (scope, requirements) in byScope)
                {
                    var kind = Requirements(requirements, $"transports.{name}[\"{scope}\"]");
                    if (name == "docker")
                    {
                        docker[scope] = kind;
                    }
                }
            }
        }

        return new ContainersPolicy(@default, docker);
    }

    /// <summary>The requirements that apply to <paramref name="image"/> pulled over the docker transport.</summary>
    public PolicyRequirement Evaluate(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        foreach (var scope in Scopes(image))
        {
            if (_docker.TryGetValue(scope, out var kind))
            {
                return new PolicyRequirement(kind, $"transports.docker[\"{scope}\"]");
            }
        }

        return Fallback;
    }

    /// <summary>What applies to an image no docker scope names: the transport's <c>""</c> scope, else the global default.</summary>
    public PolicyRequirement Fallback => _docker.TryGetValue("", out var transportDefault)
        ? new PolicyRequirement(transportDefault, "transports.docker[\"\"]")
        : new PolicyRequirement(_default, "default");

    /// <summary>The docker transport's scopes for <paramref name="image"/>, most specific first (not the <c>""</c> default).</summary>
    public static IReadOnlyList<string> Scopes(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scopes = new List<string>();
        if (image.Digest is { } digest)
        {
            scopes.Add($"{image.Name}@{digest}");
        }
        else if (image.Tag is { } tag)
        {
            scopes.Add($"{image.Name}:{tag}");
        }

        var name = image.Name;
        while (true)
        {
            scopes.Add(name);
            var slash = name.LastIndexOf('/');
            if (slash < 0)
            {
                break;
            }

            name = name[..slash];
        }

        // The host's wildcards come from the name without its port: example.com:8443 gives *.com.
        var host = image.Registry;
        for (var dot = host.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = host.IndexOf('.', StringComparison.Ordinal))
        {
            host = host[(dot + 1)..];
            scopes.Add("*." + host);
        }

        return scopes;
    }

    // One requirement list: all insecureAcceptAnything accepts anything; any reject rejects; else a signature is checked.
    private static PolicyRequirementKind Requirements(JsonNode? node, string where)
    {
        if (node is not JsonArray list || list.Count == 0)
        {
            throw new FormatException($"{where} is not a non-empty list of requirements");
        }

        var types = new List<string>();
        foreach (var item in list)
        {
            var type = item is JsonObject requirement && requirement["type"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            if (type is null || !s_known.Contains(type))
            {
                throw new FormatException($"{where} has a requirement of unknown type {type ?? "(none)"}");
            }

            types.Add(type);
        }

        return types.Contains("reject") ? PolicyRequirementKind.Rejects
            : types.TrueForAll(t => t == "insecureAcceptAnything") ? PolicyRequirementKind.AcceptsAnything
            : PolicyRequirementKind.Verifies;
    }
}
