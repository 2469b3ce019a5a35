using System.Text.Json;
using NodeDaemon.Core.Text;

namespace NodeDaemon.Core.Tests.Text;

/// <summary>Lone surrogate escapes are repaired before anything reads a document; everything else is kept byte for byte.</summary>
public sealed class JsonTextTests
{
    [Theory]
    [InlineData("""{"a":"\ud800"}""", """{"a":"\uFFFD"}""")]
    [InlineData("""{"a":"\udc00\ud800x"}""", """{"a":"\uFFFD\uFFFDx"}""")]
    [InlineData("""{"a":"\ud83d\ude00"}""", """{"a":"\ud83d\ude00"}""")]
    [InlineData("""{"a":"\\ud800"}""", """{"a":"\\ud800"}""")]
    [InlineData("""{"a":"\\\ud800"}""", """{"a":"\\\uFFFD"}""")]
    [InlineData("""{"a":"\u0041\n"}""", """{"a":"\u0041\n"}""")]
    [InlineData("""{"a":"\ud8""", """{"a":"\ud8""")]
    public void Repairs_only_lone_surrogate_escapes(string json, string expected)
    {
        Assert.Equal(expected, JsonText.RepairSurrogateEscapes(json));
    }

    [Fact]
    public void Reads_a_lone_surrogate_string_as_a_replacement_character()
    {
        using var document = JsonDocument.Parse("""{"\ud800k":"x\udc00"}""");
        var property = document.RootElement.EnumerateObject().Single();

        Assert.Equal(("\uFFFDk", "x\uFFFD"), (JsonText.NameOf(property), JsonText.StringOf(property.Value)));
    }
}
