using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>
/// Endpoints for tests driving a server in another process; never counted, never faulted:
/// <c>GET|DELETE /debug/requests</c>, <c>GET /debug/connections</c>, <c>GET|POST /debug/faults</c>, <c>POST /debug/compact</c>.
/// </summary>
internal sealed class DebugEndpoints
{
    /// <summary>camelCase JSON, as fault files are written.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly ObjectStore _store;
    private readonly FaultInjector _faults;
    private readonly RequestCounter _counter;

    public DebugEndpoints(ObjectStore store, FaultInjector faults, RequestCounter counter)
    {
        _store = store;
        _faults = faults;
        _counter = counter;
    }

    public async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Method, context.Request.Path.Value)
        {
            case ("GET", "/debug/requests"):
                var counts = new JsonObject();
                foreach (var (key, count) in _counter.Snapshot())
                {
                    counts[key] = count;
                }

                await HttpIo.WriteJsonAsync(context, 200, counts);
                break;
            case ("GET", "/debug/connections"):
                await HttpIo.WriteJsonAsync(context, 200, _counter.Connections.ToJson());
                break;
            case ("DELETE", "/debug/requests"):
                _counter.Reset();
                context.Response.StatusCode = 204;
                break;
            case ("GET", "/debug/faults"):
                await HttpIo.WriteJsonAsync(context, 200, JsonSerializer.SerializeToNode(_faults.Current, Json)!);
                break;
            case ("POST", "/debug/faults"):
                var body = await HttpIo.ReadJsonAsync(context);
                FaultSettings settings;
                try
                {
                    settings = body is null ? new FaultSettings() : body.Deserialize<FaultSettings>(Json) ?? new FaultSettings();
                }
                catch (JsonException e)
                {
                    throw new ApiException(StatusErrors.BadRequest($"fault settings: {e.Message}"));
                }

                // Answer first: an outage stops the listener, which waits for this very request.
                context.Response.StatusCode = 204;
                await context.Response.CompleteAsync();
                _faults.Set(settings);
                break;
            case ("POST", "/debug/compact"):
                _store.Compact();
                context.Response.StatusCode = 204;
                break;
            default:
                await HttpIo.WriteStatusAsync(context, StatusErrors.PathNotFound());
                break;
        }
    }
}
