using CsCheck;
using NodeDaemon.Logging;

namespace NodeDaemon.Tests.Logging;

public class JournalFieldNameTests
{
    [Theory]
    [InlineData("NODEDAEMON_", "DesiredDigest", "NODEDAEMON_DESIRED_DIGEST")]
    [InlineData("NODEDAEMON_", "SourceContext", "NODEDAEMON_SOURCE_CONTEXT")]
    [InlineData("NODEDAEMON_", "desiredImage", "NODEDAEMON_DESIRED_IMAGE")]
    [InlineData("NODEDAEMON_", "HTTPStatus", "NODEDAEMON_HTTP_STATUS")]
    [InlineData("NODEDAEMON_", "Sha256Digest", "NODEDAEMON_SHA256_DIGEST")]
    [InlineData("NODEDAEMON_", "ALREADY_UPPER", "NODEDAEMON_ALREADY_UPPER")]
    [InlineData("NODEDAEMON_", "my.odd-name", "NODEDAEMON_MY_ODD_NAME")]
    [InlineData("NODEDAEMON_", "weird name!", "NODEDAEMON_WEIRD_NAME")]
    [InlineData("NODEDAEMON_", "__private", "NODEDAEMON_PRIVATE")]
    [InlineData("NODEDAEMON_", "Größe", "NODEDAEMON_GR_E")]
    [InlineData("NODEDAEMON_", "0", "NODEDAEMON_0")]
    [InlineData("NODEDAEMON_", "$$$", "NODEDAEMON_PROPERTY")]
    [InlineData("", "Message", "MESSAGE")]
    [InlineData("", "_Hidden", "HIDDEN")]
    [InlineData("", "0", "FIELD_0")]
    [InlineData("", "1stLayer", "FIELD_1ST_LAYER")]
    [InlineData("APP_", "a_b__c", "APP_A_B_C")]
    public void Sanitizes_property_names(string prefix, string property, string field) =>
        Assert.Equal(field, JournalFieldName.FromProperty(prefix, property));

    [Fact]
    public void Cuts_long_names_to_64_characters()
    {
        string field = JournalFieldName.FromProperty("NODEDAEMON_", new string('a', 40) + "_" + new string('b', 40));
        Assert.Equal("NODEDAEMON_" + new string('A', 40) + "_" + new string('B', 12), field);
        Assert.Equal(64, field.Length);
    }

    [Theory]
    [InlineData("MESSAGE", true)]
    [InlineData("NODEDAEMON_X1", true)]
    [InlineData("_PID", false)]
    [InlineData("1A", false)]
    [InlineData("lower", false)]
    [InlineData("A-B", false)]
    [InlineData("", false)]
    public void Knows_the_journal_rule(string name, bool valid) => Assert.Equal(valid, JournalFieldName.IsValid(name));

    [Fact]
    public void Any_property_name_becomes_a_valid_field() =>
        Gen.Select(Gen.Int[0, 2].Select(i => new[] { "", "NODEDAEMON_", "X_" }[i]), Gen.String)
            .Sample((prefix, name) => JournalFieldName.IsValid(JournalFieldName.FromProperty(prefix, name)));
}
