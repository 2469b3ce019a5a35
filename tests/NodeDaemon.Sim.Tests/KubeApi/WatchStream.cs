using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>A watch response read line by line, every read bounded.</summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>Opens the stream (headers only; the body streams).</summary>
    public static async Task<WatchStream> OpenAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("chunked", response.Headers.TransferEncoding.ToString());
        return new WatchStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event; fails after 5 s or at the end of the stream.</summary>
    public async Task<JsonObject> NextAsync() =>
        await NextOrEndAsync(TimeSpan.FromSeconds(5)) ?? throw new InvalidOperationException("the watch ended");

    /// <summary>The next event, or null when the server ended the stream; fails when neither happens in time.</summary>
    public async Task<JsonObject?> NextOrEndAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var line = await _reader.ReadLineAsync(cts.Token);
            return line is null ? null : JsonNode.Parse(line)!.AsObject();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no watch event within {timeout}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
