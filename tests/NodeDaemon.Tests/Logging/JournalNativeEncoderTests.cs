using System.Text;
using CsCheck;
using NodeDaemon.Logging;

namespace NodeDaemon.Tests.Logging;

public class JournalNativeEncoderTests
{
    private static JournalField Field(string name, string value) => new(name, Encoding.UTF8.GetBytes(value));

    [Fact]
    public void Writes_text_fields_and_the_binary_form_for_newlines()
    {
        byte[] datagram = JournalNativeEncoder.Encode([Field("A", "1"), Field("B", "x\ny"), Field("C", "")], 4096);

        byte[] expected = [.. "A=1\nB\n"u8, 3, 0, 0, 0, 0, 0, 0, 0, .. "x\ny\n"u8, .. "C=\n"u8];
        Assert.Equal(expected, datagram);
    }

    [Fact]
    public void Round_trips_through_an_independent_parser() =>
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 10], Gen.Byte.Array[0, 50]).Array[1, 8]
            .Sample(pairs =>
            {
                var fields = pairs.Select(p => new JournalField("F" + p.Item1.ToUpperInvariant(), p.Item2)).ToList();
                var parsed = NativeJournalParser.Parse(JournalNativeEncoder.Encode(fields, 1 << 20));
                return parsed.Select(f => f.Key).SequenceEqual(fields.Select(f => f.Name))
                    && parsed.Zip(fields).All(p => p.First.Value.AsSpan().SequenceEqual(p.Second.Value));
            });

    [Fact]
    public void Truncates_the_longest_value_with_a_marker_and_keeps_utf8_whole()
    {
        string message = string.Concat(Enumerable.Repeat("é", 10_000)); // 20,000 bytes
        byte[] datagram = JournalNativeEncoder.Encode([Field("MESSAGE", message), Field("PRIORITY", "6")], 8192);

        Assert.True(datagram.Length <= 8192, $"{datagram.Length} bytes");
        Assert.True(datagram.Length > 8150, "no more is cut than needed");
        var fields = NativeJournalParser.ParseText(datagram);
        string kept = fields.Single(f => f.Name == "MESSAGE").Value;
        Assert.EndsWith(" [truncated, 20000 bytes in all]", kept, StringComparison.Ordinal);
        Assert.Matches("^é+ \\[", kept);
        Assert.Contains(("PRIORITY", "6"), fields);
    }

    [Fact]
    public void Cuts_several_values_when_one_is_not_enough()
    {
        byte[] datagram = JournalNativeEncoder.Encode(
            [Field("A", new string('a', 6000)), Field("B", new string('b', 6000)), Field("C", "c")], 5000);

        Assert.True(datagram.Length <= 5000, $"{datagram.Length} bytes");
        var fields = NativeJournalParser.ParseText(datagram);
        Assert.All(fields.Where(f => f.Name != "C"), f => Assert.EndsWith("[truncated, 6000 bytes in all]", f.Value, StringComparison.Ordinal));
        // Both are cut to the same length: the bigger field does not take all the room.
        Assert.Equal(fields[0].Value.Length, fields[1].Value.Length);
        Assert.True(fields[0].Value.Length > 2400, $"{fields[0].Value.Length} characters kept");
        Assert.Contains(("C", "c"), fields);
    }
}
