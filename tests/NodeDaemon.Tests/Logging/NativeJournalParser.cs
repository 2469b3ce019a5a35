using System.Buffers.Binary;
using System.Text;

namespace NodeDaemon.Tests.Logging;

/// <summary>Reads native-protocol datagrams back into fields, independently of the sink's encoder.</summary>
internal static class NativeJournalParser
{
    public static List<KeyValuePair<string, byte[]>> Parse(ReadOnlySpan<byte> data)
    {
        var fields = new List<KeyValuePair<string, byte[]>>();
        while (!data.IsEmpty)
        {
            int end = data.IndexOfAny((byte)'=', (byte)'\n');
            Assert.True(end > 0, "a field must start with a name followed by '=' or '\\n'");
            string name = Encoding.ASCII.GetString(data[..end]);
            byte[] value;
            if (data[end] == (byte)'=')
            {
                data = data[(end + 1)..];
                int newline = data.IndexOf((byte)'\n');
                Assert.True(newline >= 0, $"field {name} is not terminated by '\\n'");
                value = data[..newline].ToArray();
                data = data[(newline + 1)..];
            }
            else
            {
                data = data[(end + 1)..];
                ulong length = BinaryPrimitives.ReadUInt64LittleEndian(data);
                data = data[sizeof(ulong)..];
                value = data[..checked((int)length)].ToArray();
                Assert.Equal((byte)'\n', data[(int)length]);
                data = data[((int)length + 1)..];
            }
            fields.Add(new(name, value));
        }
        return fields;
    }

    /// <summary>The fields as text, sorted by name then value, for exact comparison.</summary>
    public static List<(string Name, string Value)> ParseText(ReadOnlySpan<byte> data) =>
        [.. Parse(data).Select(f => (f.Key, Encoding.UTF8.GetString(f.Value))).OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Item2, StringComparer.Ordinal)];

    /// <summary>Whether the datagram carries this field in the length-prefixed binary form.</summary>
    public static bool UsesBinaryForm(ReadOnlySpan<byte> data, string name) =>
        data.IndexOf(Encoding.ASCII.GetBytes("\n" + name + "\n")) >= 0 || data.StartsWith(Encoding.ASCII.GetBytes(name + "\n"));
}
