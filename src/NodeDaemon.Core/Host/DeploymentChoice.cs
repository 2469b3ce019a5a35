namespace NodeDaemon.Core.Host;

/// <summary>The one rule for which listed deployment is the booted one and which the staged one, for every reader of a host status.</summary>
/// <remarks>
/// rpm-ostreed lists at most one of each, and <c>rpm-ostree status --json</c> prints that same list; a document with
/// two is broken, and both <c>run</c> and <c>explain</c> then take the first and say so, so they never disagree.
/// </remarks>
public static class DeploymentChoice
{
    /// <summary>The first deployment flagged booted and the first flagged staged; a second of either adds a warning.</summary>
    public static (HostDeployment? Booted, HostDeployment? Staged) Pick(IReadOnlyList<HostDeployment> deployments, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(warnings);
        var booted = deployments.Where(d => d.Booted).ToList();
        var staged = deployments.Where(d => d.Staged).ToList();
        if (booted.Count > 1)
        {
            warnings.Add($"{booted.Count} deployments are marked booted; the first ({Name(booted[0])}) counts");
        }

        if (staged.Count > 1)
        {
            warnings.Add($"{staged.Count} deployments are marked staged; the first ({Name(staged[0])}) counts");
        }

        return (booted.FirstOrDefault(), staged.FirstOrDefault());
    }

    private static string Name(HostDeployment deployment) => deployment.Id.Length > 0 ? deployment.Id : deployment.Checksum;
}
