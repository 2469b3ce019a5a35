using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Turns one deployment <c>a{sv}</c> from rpm-ostreed into a <see cref="HostDeployment"/>.</summary>
/// <remarks>rpm-ostree adds keys between releases and a lookup can fail (no digest), so nothing here throws:
/// a missing or odd value becomes null and a warning, and the decision works with what is known.</remarks>
internal static class DeploymentMapper
{
    /// <summary>Maps <paramref name="entry"/>; returns null for an empty dictionary (rpm-ostreed's "none").</summary>
    public static HostDeployment? Map(Dictionary<string, VariantValue> entry, ICollection<string> warnings)
    {
        if (entry.Count == 0)
        {
            return null;
        }

        var id = Text(entry, "id", warnings) ?? "";
        var reference = Text(entry, "container-image-reference", warnings);
        Digest? digest = null;
        if (Text(entry, "container-image-reference-digest", warnings) is { } digestText)
        {
            if (Digest.TryParse(digestText, out var parsed, out var error))
            {
                digest = parsed;
            }
            else
            {
                warnings.Add($"deployment {id}: container-image-reference-digest is not a digest: {error}");
            }
        }

        if (reference is not null && !OstreeRefspec.TryParse(reference, out _, out var refError))
        {
            warnings.Add($"deployment {id}: container-image-reference is not a refspec NodeDaemon knows: {refError}");
        }

        long? timestamp = Number(entry, "timestamp", warnings);
        return new HostDeployment(reference, digest, Text(entry, "checksum", warnings) ?? "")
        {
            Id = id,
            OsName = Text(entry, "osname", warnings) ?? "",
            Version = Text(entry, "version", warnings),
            Timestamp = Time(timestamp, id, warnings),
            Booted = Flag(entry, "booted", warnings),
            Staged = Flag(entry, "staged", warnings),
            Pinned = Flag(entry, "pinned", warnings),
            Origin = Text(entry, "origin", warnings),
            BaseChecksum = Text(entry, "base-checksum", warnings),
        };
    }

    // A commit time outside what DateTimeOffset holds (year 1 to 9999) is a broken status, not a reason to stop.
    private static DateTimeOffset? Time(long? seconds, string id, ICollection<string> warnings)
    {
        if (seconds is not { } value)
        {
            return null;
        }

        if (value < DateTimeOffset.MinValue.ToUnixTimeSeconds() || value > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            warnings.Add($"deployment {id}: timestamp {value} is not a date");
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds(value);
    }

    private static string? Text(Dictionary<string, VariantValue> entry, string key, ICollection<string> warnings)
    {
        if (!entry.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value.Type == VariantValueType.String)
        {
            return value.GetString();
        }

        warnings.Add($"deployment key {key} has type {value.Type}, expected a string");
        return null;
    }

    private static bool Flag(Dictionary<string, VariantValue> entry, string key, ICollection<string> warnings)
    {
        if (!entry.TryGetValue(key, out var value))
        {
            return false;
        }

        if (value.Type == VariantValueType.Bool)
        {
            return value.GetBool();
        }

        warnings.Add($"deployment key {key} has type {value.Type}, expected a boolean");
        return false;
    }

    private static long? Number(Dictionary<string, VariantValue> entry, string key, ICollection<string> warnings)
    {
        if (!entry.TryGetValue(key, out var value))
        {
            return null;
        }

        switch (value.Type)
        {
            case VariantValueType.UInt64:
                return value.GetUInt64() <= long.MaxValue ? (long)value.GetUInt64() : null;
            case VariantValueType.Int64:
                return value.GetInt64();
            case VariantValueType.UInt32:
                return value.GetUInt32();
            case VariantValueType.Int32:
                return value.GetInt32();
            default:
                warnings.Add($"deployment key {key} has type {value.Type}, expected a number");
                return null;
        }
    }
}
