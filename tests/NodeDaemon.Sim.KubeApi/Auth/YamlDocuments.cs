using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>Reads a multi-document YAML manifest (<c>kubectl apply -f</c> input) into JSON objects.</summary>
/// <remarks>YamlDotNet comes with KubernetesClient (which reads kubeconfigs with it); its node model needs no
/// reflection. Every scalar stays a string: the RBAC objects read here have no other kind of value.</remarks>
public static class YamlDocuments
{
    /// <summary>Every non-empty document of <paramref name="yaml"/>, as JSON.</summary>
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>()];
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
