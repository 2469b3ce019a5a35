using System.Globalization;
using System.Text.Json;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

namespace NodeDaemon.RpmOstree.Bootc;

/// <summary>Reads <c>bootc status --format json</c> (a <c>BootcHost</c> document) into a <see cref="BootcStatus"/>.</summary>
/// <remarks>bootc adds fields between releases and older ones lack some, so a missing or odd value becomes null and a
/// warning; only a document that is not JSON, or has no booted deployment, is an error.</remarks>
internal static class BootcStatusParser
{
    // Keys of a boot entry as of bootc 1.x; others are reported, so a new field is noticed rather than ignored.
    private static readonly HashSet<string> s_entryKeys =
        ["image", "cachedUpdate", "incompatible", "pinned", "downloadOnly", "store", "ostree", "composefs", "softRebootCapable"];

    /// <summary>Parses <paramref name="json"/>; throws <see cref="HostException"/> when it cannot be used.</summary>
    public static BootcStatus Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new HostException(HostErrorKind.Failed, $"bootc status printed no JSON document ({e.Message})", e);
        }

        using (document)
        {
            var warnings = new List<string>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                throw new HostException(HostErrorKind.Failed, "bootc status printed a document without a status object");
            }

            if (Text(root, "kind", "document", warnings) is { } kind && kind != "BootcHost")
            {
                warnings.Add($"bootc status: kind is {kind}, expected BootcHost");
            }

            var booted = Entry(status, "booted", warnings) ?? throw new HostException(HostErrorKind.Failed,
                "bootc status lists no booted deployment (this host was not booted from a bootc image)");
            var staged = Entry(status, "staged", warnings);
            var rollback = Entry(status, "rollback", warnings);
            // rollbackQueued (bootc status.rs: the rollback deployment sorts before the booted one) means it boots next.
            var queued = status.TryGetProperty("rollbackQueued", out var q) && q.ValueKind == JsonValueKind.True;
            var hostStatus = new HostStatus(booted.Deployment with { Booted = true }, staged is null ? null : staged.Deployment with { Staged = true },
                rollback?.Deployment, ActiveTransaction: null, warnings)
            {
                Default = queued ? rollback?.Deployment : null,
            };
            return new BootcStatus(hostStatus, staged?.DownloadOnly, (staged ?? booted).DownloadOnly is not null);
        }
    }

    private sealed record ParsedEntry(HostDeployment Deployment, bool? DownloadOnly);

    private static ParsedEntry? Entry(JsonElement status, string name, List<string> warnings)
    {
        if (!status.TryGetProperty(name, out var entry) || entry.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (entry.ValueKind != JsonValueKind.Object)
        {
            warnings.Add($"bootc status: {name} is {entry.ValueKind}, expected an object");
            return null;
        }

        foreach (var property in entry.EnumerateObject().Where(p => !s_entryKeys.Contains(p.Name)))
        {
            warnings.Add($"bootc status: {name} has an unknown key {property.Name}");
        }

        string? reference = null;
        Digest? digest = null;
        string? version = null;
        DateTimeOffset? timestamp = null;
        if (Child(entry, "image", name, warnings) is { } image)
        {
            reference = Refspec(image, name, warnings);
            version = Text(image, "version", name, warnings);
            timestamp = Time(image, name, warnings);
            if (Text(image, "imageDigest", name, warnings) is not { } digestText)
            {
                warnings.Add($"bootc status: {name}.image has no imageDigest");
            }
            else
            {
                if (Digest.TryParse(digestText, out var parsed, out var error))
                {
                    digest = parsed;
                }
                else
                {
                    warnings.Add($"bootc status: {name}.image.imageDigest is not a digest: {error}");
                }
            }
        }
        else
        {
            warnings.Add($"bootc status: {name} has no image");
        }

        var ostree = Child(entry, "ostree", name, warnings);
        var checksum = ostree is { } o ? Text(o, "checksum", name, warnings) : null;
        if (checksum is null)
        {
            warnings.Add($"bootc status: {name} has no ostree.checksum");
        }

        var deployment = new HostDeployment(reference, digest, checksum ?? "")
        {
            Version = version,
            Timestamp = timestamp,
            Pinned = Flag(entry, "pinned", name, warnings) ?? false,
        };
        return new ParsedEntry(deployment, Flag(entry, "downloadOnly", name, warnings));
    }

    /// <summary>The rpm-ostree-style refspec of <c>image.image</c>, so that both backends report the same strings.</summary>
    private static string? Refspec(JsonElement image, string name, List<string> warnings)
    {
        if (Child(image, "image", name, warnings) is not { } reference
            || Text(reference, "image", name, warnings) is not { } pullspec)
        {
            return null;
        }

        var transport = Text(reference, "transport", name, warnings) ?? "registry";
        var text = transport != "registry"
            ? $"ostree-unverified-image:{transport}:{pullspec}"
            : reference.TryGetProperty("signature", out var signature) ? Signed(signature, pullspec) : $"ostree-unverified-registry:{pullspec}";
        if (!OstreeRefspec.TryParse(text, out _, out var error))
        {
            warnings.Add($"bootc status: {name} image is not a refspec NodeDaemon knows: {error}");
        }

        return text;
    }

    // bootc's ImageSignature: "insecure", "containerPolicy", or {"ostreeRemote": "<remote>"}.
    private static string Signed(JsonElement signature, string pullspec) => signature switch
    {
        { ValueKind: JsonValueKind.String } when signature.GetString() == "insecure" => $"ostree-unverified-registry:{pullspec}",
        { ValueKind: JsonValueKind.Null } => $"ostree-unverified-registry:{pullspec}",
        { ValueKind: JsonValueKind.Object } when signature.TryGetProperty("ostreeRemote", out var remote) && remote.ValueKind == JsonValueKind.String =>
            $"ostree-remote-registry:{remote.GetString()}:{pullspec}",
        _ => $"ostree-image-signed:docker://{pullspec}",
    };

    private static JsonElement? Child(JsonElement parent, string key, string name, List<string> warnings)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        warnings.Add($"bootc status: {name}.{key} is {value.ValueKind}, expected an object");
        return null;
    }

    private static string? Text(JsonElement parent, string key, string name, List<string> warnings)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        warnings.Add($"bootc status: {name}.{key} is {value.ValueKind}, expected a string");
        return null;
    }

    private static bool? Flag(JsonElement parent, string key, string name, List<string> warnings)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        warnings.Add($"bootc status: {name}.{key} is {value.ValueKind}, expected a boolean");
        return null;
    }

    private static DateTimeOffset? Time(JsonElement image, string name, List<string> warnings)
    {
        if (Text(image, "timestamp", name, warnings) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        warnings.Add($"bootc status: {name}.image.timestamp is not an RFC 3339 time: {text}");
        return null;
    }
}
