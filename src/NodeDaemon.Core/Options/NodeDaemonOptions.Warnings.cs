namespace NodeDaemon.Core.Options;

/// <summary>Settings that are valid but unsafe together: warned about by <c>validate-config</c> and logged at start, never refused.</summary>
public sealed partial record NodeDaemonOptions
{
    /// <summary>Every warning about these options, one line each, starting with the key path; empty when there is none.</summary>
    /// <remarks>A warning, not an error: both settings are today's defaults, and refusing them would stop every
    /// existing node at its next start. The admin is told, in words, what the combination allows.</remarks>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>();
        if (AllowedImages.Count == 0 && SignaturePolicy == SignaturePolicy.Unverified)
        {
            warnings.Add("allowedImages is empty while signaturePolicy is \"unverified\": any image anyone who can annotate "
                + "this node names is pulled and booted unverified; list your repositories in allowedImages, "
                + "or set signaturePolicy to \"verified\"");
        }

        if (SignaturePolicy == SignaturePolicy.Verified && HostSignaturePolicy?.FallbackWarning() is { } unverified)
        {
            warnings.Add(unverified);
        }

        return warnings;
    }
}
