using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Watch;

/// <summary>One open watch response, read one JSON event per line.</summary>
internal sealed class WatchConnection(HttpResponseMessage response, StreamReader reader, CancellationTokenSource life, CancellationTokenSource bound) : IDisposable
{
    /// <summary>Events read on this connection.</summary>
    public int Events { get; private set; }

    /// <summary>Opens the body of a 200 answer; <paramref name="life"/> (linked to <paramref name="bound"/>) bounds every read; both are disposed with the connection.</summary>
    public static async Task<WatchConnection> OpenAsync(HttpResponseMessage response, CancellationTokenSource life, CancellationTokenSource bound)
    {
        var stream = await response.Content.ReadAsStreamAsync(life.Token).ConfigureAwait(false);
        return new WatchConnection(response, new StreamReader(stream), life, bound);
    }

    /// <summary>The next event, or null when the server ended the stream cleanly.</summary>
    /// <exception cref="IOException">The connection broke, a line was cut short, or the stream outlived its bound.</exception>
    public async Task<JsonObject?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(life.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // The server should have closed it at timeoutSeconds: a half-open connection that would hang forever.
                throw new IOException("the watch stream stayed silent past its timeout", e);
            }

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
                // A lone surrogate escape becomes U+FFFD first (Go's reading), or every later read of the object would throw.
                return JsonNode.Parse(Core.Text.JsonText.RepairSurrogateEscapes(line)) as JsonObject
                    ?? throw new IOException("a watch line that is not an object");
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
        life.Dispose();
        bound.Dispose();
    }
}
