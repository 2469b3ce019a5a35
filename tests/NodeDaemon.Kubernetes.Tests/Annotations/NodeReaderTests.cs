using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Tests.Annotations;

/// <summary>The one Node reader of the watch, the client and explain, on objects a broken or hostile server may send.</summary>
public sealed class NodeReaderTests
{
    [Fact]
    public void A_repeated_annotation_keeps_its_last_value_as_go_does()
    {
        var node = JsonNode.Parse("""{"kind":"Node","metadata":{"name":"n1","annotations":{"a/desired-image":"one","a/desired-image":"two"}}}""");

        Assert.Equal("two", NodeReader.Read(node).Annotation("a/desired-image"));
    }

    [Theory]
    [InlineData("""{"metadata": []}""")]
    [InlineData("""{"metadata": {"annotations": [], "labels": 5, "name": 7}, "spec": []}""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    public void Members_of_another_type_read_as_absent(string json)
    {
        var snapshot = NodeReader.Read(JsonNode.Parse(json));

        Assert.Empty(snapshot.Annotations);
        Assert.Equal("", snapshot.Name);
        Assert.False(snapshot.Unschedulable);
    }

    [Fact]
    public void A_lone_surrogate_escape_reads_as_a_replacement_character()
    {
        var snapshot = NodeReader.Parse("""{"kind":"Node","metadata":{"annotations":{"k\ud800":"v\udc00w","e":"\ud83d\ude00\\ud800"}}}""");

        Assert.Equal("v\uFFFDw", snapshot.Annotation("k\uFFFD"));
        Assert.Equal("\U0001F600\\ud800", snapshot.Annotation("e"));
    }

    [Fact]
    public void Parse_refuses_what_is_not_a_node_in_words()
    {
        Assert.Contains("top level is array", Assert.Throws<FormatException>(() => NodeReader.Parse("[]")).Message, StringComparison.Ordinal);
        Assert.Contains("\"kind\" is not \"Node\"", Assert.Throws<FormatException>(() => NodeReader.Parse("""{"kind":5}""")).Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", Assert.Throws<FormatException>(() => NodeReader.Parse(new string('[', 100))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"code": 410}""", 410)]
    [InlineData("""{"code": "410"}""", null)]   // a broken server's string: read as no code, never a crash
    [InlineData("""{"code": 4.5}""", null)]
    [InlineData("""{"code": [410]}""", null)]
    [InlineData("""{"code": null}""", null)]
    [InlineData("""{}""", null)]
    public void A_whole_number_is_read_only_when_it_is_one(string json, int? expected) =>
        Assert.Equal(expected, NodeReader.WholeNumber(JsonNode.Parse(json)!["code"]));
}
