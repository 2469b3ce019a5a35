using NodeDaemon.Core.Host;
using System.Text.Json;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Cli;

/// <summary>Reads an <c>rpm-ostree status --json</c> document into the decision's <see cref="HostView"/>.</summary>
internal static class HostStatusJson
{
    /// <summary>Parses <paramref name="json"/>; throws <see cref="FormatException"/> with the problem when it is not a status document.</summary>
    public static HostView Parse(string json, string bootId)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("deployments", out var deployments) || deployments.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("not an rpm-ostree status document: no \"deployments\" array");
        }

        HostDeployment? booted = null, staged = null;
        foreach (var entry in deployments.EnumerateArray())
        {
            var deployment = ToDeployment(entry);
            if (Flag(entry, "booted"))
            {
                booted = deployment;
            }
            else if (Flag(entry, "staged"))
            {
                staged = deployment;
            }
        }

        return new HostView(booted ?? throw new FormatException("no deployment is marked \"booted\""), staged, bootId);
    }

    private static HostDeployment ToDeployment(JsonElement entry)
    {
        var reference = Text(entry, "container-image-reference");
        var digestText = Text(entry, "container-image-reference-digest");
        Digest? digest = Digest.TryParse(digestText, out var parsed, out _) ? parsed : null;
        return new HostDeployment(reference, digest, Text(entry, "checksum") ?? "");
    }

    private static bool Flag(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
