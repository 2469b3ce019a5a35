using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Auth;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>The one middleware: debug endpoints, then counting, faults, discovery and resource dispatch.</summary>
internal sealed class ApiHandler
{
    private readonly ResourceHandler _resources;
    private readonly WatchHandler _watch;
    private readonly DebugEndpoints _debug;
    private readonly FaultInjector _faults;
    private readonly RequestCounter _counter;
    private readonly ApiAuthorization? _authorization;
    private readonly TokenRequestHandler _tokens;
    private readonly ObjectStore _store;

    public ApiHandler(ResourceHandler resources, WatchHandler watch, DebugEndpoints debug, FaultInjector faults, RequestCounter counter,
        ApiAuthorization? authorization, TokenRequestHandler tokens, ObjectStore store)
    {
        _authorization = authorization;
        _tokens = tokens;
        _store = store;
        _resources = resources;
        _watch = watch;
        _debug = debug;
        _faults = faults;
        _counter = counter;
    }

    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        string? counted = null;
        try
        {
            var path = context.Request.Path.Value ?? "/";
            if (path.StartsWith("/debug/", StringComparison.Ordinal))
            {
                await _debug.HandleAsync(context);
                return;
            }

            var target = RequestTarget.Parse(path);
            var verb = target is null ? context.Request.Method.ToLowerInvariant() : Verb(context, target);
            counted = target is null ? $"{verb} {path}" : $"{verb} {target.CountedResource}";
            _counter.Add(counted);
            if (target is not null && FieldManagers.IsWrite(verb) && !FieldManagers.Named(context))
            {
                _counter.AddUnmanaged($"{FieldManagers.UserAgentPrefix(context.Request.Headers.UserAgent.ToString())} {counted}");
            }

            // The real server authenticates and authorizes before anything else answers.
            if (_authorization?.Check(context, target, verb, path, _store) is { } refused)
            {
                await HttpIo.WriteStatusAsync(context, refused);
                return;
            }

            var faults = _faults.Current;
            if (faults.LatencyMilliseconds > 0)
            {
                await Task.Delay(faults.LatencyMilliseconds, context.RequestAborted);
            }

            var resumed = verb == "watch" && !string.IsNullOrEmpty(context.Request.Query["resourceVersion"]);
            if (_faults.ErrorFor(verb, target?.CountedResource ?? path, resumed) is { } injected)
            {
                await HttpIo.WriteStatusAsync(context, injected);
                return;
            }

            if (target is null)
            {
                var document = context.Request.Method == "GET" ? Discovery.For(path, context.Request.Host.Value ?? "") : null;
                await (document is null ? HttpIo.WriteStatusAsync(context, StatusErrors.PathNotFound()) : HttpIo.WriteJsonAsync(context, 200, document));
                return;
            }

            await (verb switch
            {
                "get" => _resources.GetAsync(context, target),
                "list" => _resources.ListAsync(context, target),
                "watch" => _watch.WatchAsync(context, target, stopping),
                "create" when target.Subresource == "token" => _tokens.CreateAsync(context, target),
                "create" => _resources.CreateAsync(context, target),
                "update" => _resources.UpdateAsync(context, target),
                "patch" => _resources.PatchAsync(context, target),
                "delete" => _resources.DeleteAsync(context, target),
                _ => throw new ApiException(StatusErrors.MethodNotSupported(target.Type, verb)),
            });
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await HttpIo.WriteStatusAsync(context, e.Status);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client went away or the server is stopping.
        }
        catch (BadHttpRequestException)
        {
            // The client went away while sending its body (its request timeout under load, or it was stopped); Kestrel
            // drops the connection, there is nobody to answer.
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A bug in the simulator: answer as the real server answers a panic, and say what broke.
            await Console.Error.WriteLineAsync($"apiserver: {context.Request.Method} {context.Request.Path}: {e}");
            await HttpIo.WriteStatusAsync(context, StatusErrors.Internal(e.Message));
        }
        finally
        {
            if (counted is not null && context.Response.StatusCode >= 400)
            {
                _counter.AddError(counted, context.Response.StatusCode);
            }
        }
    }

    // The Kubernetes verb of a request, as audit logs and RBAC name it.
    private static string Verb(HttpContext context, RequestTarget target)
    {
        var watch = target.WatchPath || context.Request.Query["watch"] is var w && (w == "true" || w == "1");
        return context.Request.Method switch
        {
            "GET" when target.Name is null => watch ? "watch" : "list",
            "GET" => watch ? "watch" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => target.Name is null ? "deletecollection" : "delete",
            var method => method.ToLowerInvariant(),
        };
    }
}
