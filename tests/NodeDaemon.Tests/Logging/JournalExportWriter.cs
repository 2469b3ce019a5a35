using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NodeDaemon.Tests.Logging;

/// <summary>Writes entries in systemd's journal export format (JOURNAL_EXPORT_FORMATS), the input of systemd-journal-remote.</summary>
internal static class JournalExportWriter
{
    /// <summary>
    /// Each entry gets the address fields the export format carries (realtime and monotonic
    /// timestamps), then its fields serialized as in the native protocol, then an empty line.
    /// </summary>
    public static byte[] Write(IEnumerable<List<KeyValuePair<string, byte[]>>> entries, DateTimeOffset realtime)
    {
        using var stream = new MemoryStream();
        long monotonic = 1_000_000;
        foreach (var entry in entries)
        {
            long realtimeUs = (realtime - DateTimeOffset.UnixEpoch).Ticks / 10;
            WriteText(stream, "__REALTIME_TIMESTAMP", realtimeUs.ToString(CultureInfo.InvariantCulture));
            WriteText(stream, "__MONOTONIC_TIMESTAMP", monotonic.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, value) in entry)
            {
                if (value.Contains((byte)'\n'))
                {
                    stream.Write(Encoding.ASCII.GetBytes(name + "\n"));
                    var length = new byte[8];
                    BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)value.Length);
                    stream.Write(length);
                    stream.Write(value);
                    stream.WriteByte((byte)'\n');
                }
                else
                {
                    stream.Write(Encoding.ASCII.GetBytes(name + "="));
                    stream.Write(value);
                    stream.WriteByte((byte)'\n');
                }
            }
            stream.WriteByte((byte)'\n');
            realtime = realtime.AddMilliseconds(1);
            monotonic += 1000;
        }
        return stream.ToArray();
    }

    private static void WriteText(MemoryStream stream, string name, string value) =>
        stream.Write(Encoding.ASCII.GetBytes(name + "=" + value + "\n"));
}
