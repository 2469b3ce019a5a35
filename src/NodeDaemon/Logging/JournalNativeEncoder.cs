using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NodeDaemon.Logging;

/// <summary>Serializes fields in the journal's native protocol, capping over-long values so the entry fits one datagram.</summary>
/// <remarks>
/// Each field is <c>NAME=value\n</c>, or, when the value holds a newline, <c>NAME\n</c>, the length as
/// a 64-bit little-endian integer, the raw bytes and <c>\n</c> (systemd's JOURNAL_NATIVE_PROTOCOL).
/// </remarks>
internal static class JournalNativeEncoder
{
    /// <summary>The datagram for <paramref name="fields"/>, at most <paramref name="maxBytes"/> unless the names alone exceed it.</summary>
    public static byte[] Encode(IReadOnlyList<JournalField> fields, int maxBytes)
    {
        var values = TruncateToFit(fields, maxBytes);
        var datagram = new byte[TotalSize(fields, values)];
        int offset = 0;
        for (int i = 0; i < fields.Count; i++)
        {
            offset += Encoding.ASCII.GetBytes(fields[i].Name, datagram.AsSpan(offset));
            byte[] value = values[i];
            if (NeedsBinaryForm(value))
            {
                datagram[offset++] = (byte)'\n';
                BinaryPrimitives.WriteUInt64LittleEndian(datagram.AsSpan(offset), (ulong)value.Length);
                offset += sizeof(ulong);
            }
            else
            {
                datagram[offset++] = (byte)'=';
            }
            value.CopyTo(datagram, offset);
            offset += value.Length;
            datagram[offset++] = (byte)'\n';
        }
        return datagram;
    }

    /// <summary>Whether a value must use the length-prefixed form.</summary>
    public static bool NeedsBinaryForm(ReadOnlySpan<byte> value) => value.Contains((byte)'\n');

    // Caps every value at the largest common length that fits, so one huge field cannot crowd out
    // the others (a stack trace does not erase the digest); the cut ones end in a marker.
    private static byte[][] TruncateToFit(IReadOnlyList<JournalField> fields, int maxBytes)
    {
        var values = fields.Select(f => f.Value).ToArray();
        if (TotalSize(fields, values) <= maxBytes)
        {
            return values;
        }
        int low = 0;
        int high = values.Max(v => v.Length);
        while (low < high)
        {
            int cap = low + ((high - low + 1) / 2);
            if (TotalSize(fields, Capped(values, cap)) <= maxBytes)
            {
                low = cap;
            }
            else
            {
                high = cap - 1;
            }
        }
        // If even cap 0 does not fit, only names are left: send anyway and let the socket decide.
        return Capped(values, low);
    }

    private static byte[][] Capped(byte[][] values, int cap) => [.. values.Select(v => Cap(v, cap))];

    private static byte[] Cap(byte[] value, int cap)
    {
        if (value.Length <= cap)
        {
            return value;
        }
        byte[] marker = Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $" [truncated, {value.Length} bytes in all]"));
        int keep = Utf8Boundary(value, Math.Max(0, cap - marker.Length));
        // A short value would only grow by its marker: keep it whole.
        return keep + marker.Length < value.Length ? [.. value.AsSpan(0, keep), .. marker] : value;
    }

    // Backs off so a cut never splits a multi-byte UTF-8 character.
    private static int Utf8Boundary(byte[] value, int length)
    {
        while (length > 0 && length < value.Length && (value[length] & 0xC0) == 0x80)
        {
            length--;
        }
        return length;
    }

    private static long TotalSize(IReadOnlyList<JournalField> fields, byte[][] values)
    {
        long total = 0;
        for (int i = 0; i < fields.Count; i++)
        {
            // NAME + '=' + value + '\n', or NAME + '\n' + 8-byte length + value + '\n'.
            total += fields[i].Name.Length + 2 + values[i].Length + (NeedsBinaryForm(values[i]) ? sizeof(ulong) : 0);
        }
        return total;
    }
}
