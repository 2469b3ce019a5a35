using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>Counts the TCP connections the test API server accepted, how many are open, and which protocol each
/// negotiated (<c>h2</c>, <c>http/1.1</c>): what "connections per node" is computed from.</summary>
public sealed class ConnectionCounter
{
    /// <summary>The protocol name of an HTTP/2 connection (its ALPN id).</summary>
    public const string Http2 = "h2";

    /// <summary>The protocol name of an HTTP/1.1 connection (its ALPN id; also plain HTTP, which has no ALPN).</summary>
    public const string Http11 = "http/1.1";

    private readonly ConcurrentDictionary<string, int> _byProtocol = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _ends = new(StringComparer.Ordinal);
    private long _accepted;
    private int _open;
    private int _peakOpen;

    /// <summary>Connections accepted since the start (or the last <see cref="Reset"/>).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>The most connections open at once since the start (or the last <see cref="Reset"/>).</summary>
    public int PeakOpen => Volatile.Read(ref _peakOpen);

    /// <summary>Accepted connections by negotiated protocol (<see cref="Http2"/>, <see cref="Http11"/>); one whose TLS
    /// handshake the server refused has none and is counted only in <see cref="Accepted"/>.</summary>
    public IReadOnlyDictionary<string, int> ByProtocol() => new SortedDictionary<string, int>(_byProtocol, StringComparer.Ordinal);

    /// <summary>Why connections ended abnormally, by reason as Kestrel logged it (<see cref="KestrelConnectionLog"/>):
    /// <c>"RequestProcessingError: ConnectionResetException: …"</c> is the client resetting it, a
    /// <c>…MinimumDataRateNotSatisfied</c> or <c>Http2ConnectionError</c> is Kestrel ending it. Sorted by reason.</summary>
    public IReadOnlyDictionary<string, int> Ends() => new SortedDictionary<string, int>(_ends, StringComparer.Ordinal);

    /// <summary>How many accepted connections negotiated <paramref name="protocol"/>.</summary>
    public int this[string protocol] => _byProtocol.TryGetValue(protocol, out var count) ? count : 0;

    /// <summary>The counts as JSON: <c>{"accepted":…,"open":…,"peakOpen":…,"byProtocol":{"h2":…,"http/1.1":…}}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["accepted"] = Accepted,
        ["open"] = Open,
        ["peakOpen"] = PeakOpen,
        ["byProtocol"] = new JsonObject([.. ByProtocol().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
        ["ends"] = new JsonObject([.. Ends().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
    };

    /// <summary>Forgets the accepted and per-protocol counts; the peak restarts from the connections open now.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _accepted, 0);
        _byProtocol.Clear();
        _ends.Clear();
        Volatile.Write(ref _peakOpen, Open);
    }

    internal void Opened()
    {
        Interlocked.Increment(ref _accepted);
        var open = Interlocked.Increment(ref _open);
        int peak;
        while (open > (peak = Volatile.Read(ref _peakOpen)) && Interlocked.CompareExchange(ref _peakOpen, open, peak) != peak)
        {
            // Another connection raised the peak meanwhile: compare again.
        }
    }

    internal void Negotiated(string protocol) => _byProtocol.AddOrUpdate(protocol, 1, (_, count) => count + 1);

    internal void Ended(string reason)
    {
        // Bounded: the reasons are few, but a message could carry an id; past 50 they are pooled.
        var key = _ends.Count < 50 || _ends.ContainsKey(reason) ? reason : "other";
        _ends.AddOrUpdate(key, 1, (_, count) => count + 1);
    }

    internal void Closed() => Interlocked.Decrement(ref _open);
}
