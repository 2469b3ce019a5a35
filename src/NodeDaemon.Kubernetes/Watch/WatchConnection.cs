using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Watch;

/// <summary>One open watch response, read one JSON event per line.</summary>
internal sealed class WatchConnection(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    /// <summary>Events read on this connection.</summary>
    public int Events { get; private set; }

    /// <summary>Opens the body of a 200 answer.</summary>
    public static async Task<WatchConnection> OpenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new WatchConnection(response, new StreamReader(stream));
    }

    /// <summary>The next event, or null when the server ended the stream cleanly.</summary>
    /// <exception cref="IOException">The connection broke or a line was cut short.</exception>
    public async Task<JsonObject?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                Events++;
                return JsonNode.Parse(line) as JsonObject ?? throw new IOException("a watch line that is not an object");
            }
            catch (JsonException e)
            {
                // A reset mid-line leaves half an object: the same as a broken connection.
                throw new IOException("a watch line cut short", e);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
