using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Options;
using NodeDaemon.RpmOstree.Bootc;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.RpmOstree.Tests.Bootc;

/// <summary>A temp dir with the fake bootc and its state file, and a <see cref="BootcHost"/> pointed at it.</summary>
internal sealed class BootcWorld : IDisposable
{
    public const string Repository = "quay.io/example/node-os";
    public static readonly string BootedDigest = "sha256:" + new string('b', 64);
    public static readonly string NewDigest = "sha256:" + new string('a', 64);
    public static readonly string Pinned = $"{Repository}@{NewDigest}";

    private readonly TempDirectory _dir = new("nodedaemon-bootc-");

    public BootcWorld(Action<JsonObject>? configure = null)
    {
        Executable = _dir.File("bootc");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Bootc", "fake-bootc.py"), Executable);
        File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var state = InitialState();
        configure?.Invoke(state);
        State = state;
    }

    public string Directory => _dir.Path;

    public string Executable { get; }

    public string StatePath => _dir.File("state.json");

    public RecordingRebooter Rebooter { get; } = new();

    /// <summary>The fake's state file, read or written whole.</summary>
    public JsonObject State
    {
        get => JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
        set => File.WriteAllText(StatePath, value.ToJsonString());
    }

    /// <summary>The argument lists bootc was called with, joined by spaces.</summary>
    public IReadOnlyList<string> Calls => [.. State["calls"]!.AsArray().Select(c => string.Join(' ', c!.AsArray().Select(a => (string?)a)))];

    /// <summary>The calls other than status reads: what changed the host.</summary>
    public IReadOnlyList<string> Actions => [.. Calls.Where(c => !c.StartsWith("status", StringComparison.Ordinal))];

    public BootcHost Host(TimeSpan? timeout = null) =>
        new(new BootcHostOptions(new StagingOptions { TransactionTimeout = timeout ?? TimeSpan.FromSeconds(30) }, Executable)
        {
            Environment = new Dictionary<string, string?> { ["FAKE_BOOTC_STATE"] = StatePath },
        }, auth: null, Rebooter, TimeProvider.System, NullLogger<BootcHost>.Instance);

    public void Dispose() => _dir.Dispose();

    /// <summary>Booted on an older image, with a rollback; the registry holds the new one.</summary>
    private static JsonObject InitialState() => new()
    {
        ["host"] = JsonNode.Parse($$"""
            {
              "apiVersion": "org.containers.bootc/v1",
              "kind": "BootcHost",
              "metadata": { "name": "host" },
              "spec": { "image": { "image": "{{Repository}}@{{BootedDigest}}", "transport": "registry", "signature": "insecure" }, "bootOrder": "default" },
              "status": {
                "staged": null,
                "booted": {{Entry(BootedDigest, "26836632adf6228d64ef07a26fd3efaf177104efd1f341a2cf7909a3e4e2c72c", "42.20261101.0")}},
                "rollback": {{Entry("sha256:" + new string('9', 64), "1d0a1f6b2e2b2a1d3c7b0e95d7a52f6e0f4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d", "42.20261015.0")}},
                "rollbackQueued": false,
                "type": "bootcHost"
              }
            }
            """),
        ["registry"] = new JsonObject
        {
            [Pinned] = new JsonObject
            {
                ["digest"] = NewDigest,
                ["checksum"] = "3c6dad657109522e0b2e49bf44b5420f16f0b438b5b9357e5132211cfbad135d",
                ["version"] = "42.20261120.0",
            },
        },
        ["calls"] = new JsonArray(),
    };

    private static string Entry(string digest, string checksum, string version) => $$"""
        {
          "image": {
            "image": { "image": "{{Repository}}@{{digest}}", "transport": "registry", "signature": "insecure" },
            "version": "{{version}}",
            "timestamp": "2026-11-01T10:00:00Z",
            "imageDigest": "{{digest}}"
          },
          "cachedUpdate": null,
          "incompatible": false,
          "pinned": false,
          "downloadOnly": false,
          "store": "ostreeContainer",
          "ostree": { "checksum": "{{checksum}}", "deploySerial": 0 }
        }
        """;
}
