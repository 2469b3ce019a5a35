using System.Globalization;

namespace NodeDaemon.Sim.KubeApi.Faults;

/// <summary>
/// A fault of the node after it boots a given image, keyed by the booted image's digest: what a broken OS image does to a
/// Kubernetes node. Consulted once per boot, by <see cref="TestApiServer.BootNode"/>.
/// </summary>
/// <remarks>Seconds are real seconds, as <see cref="FaultSettings.UnavailableSeconds"/>, so that a scenario can compare
/// them with the daemon's own timeouts (which run in real time); the kubelet model's normal timings are nominal and
/// scaled (<see cref="Controllers.KubeletTimings"/>).</remarks>
public sealed record BootFault
{
    /// <summary>The kubelet never posts <c>Ready=True</c> after booting the image; its DaemonSet pods stay not Ready.</summary>
    public const string KubeletNeverReady = "kubelet-never-ready";

    /// <summary>The kubelet posts <c>Ready=True</c> only <see cref="Seconds"/> after the boot.</summary>
    public const string KubeletReadyAfter = "kubelet-ready-after";

    /// <summary>The node's DaemonSet pods matching <see cref="Selector"/> crash-loop: never Ready, restartCount grows,
    /// waiting reason <c>CrashLoopBackOff</c>.</summary>
    public const string CriticalPodCrashLoop = "critical-pod-crashloop";

    /// <summary>The API server refuses connections for <see cref="Seconds"/> from the boot on, then serves again.</summary>
    public const string ApiUnreachableAfterBoot = "api-unreachable-after-boot";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [KubeletNeverReady, KubeletReadyAfter, CriticalPodCrashLoop, ApiUnreachableAfterBoot];

    /// <summary>One of <see cref="Kinds"/>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The image whose boot triggers it: a digest (<c>sha256:…</c>) or a pullspec with one (<c>repo@sha256:…</c>).</summary>
    public string Image { get; init; } = "";

    /// <summary>For <see cref="KubeletReadyAfter"/> and <see cref="ApiUnreachableAfterBoot"/>: real seconds after the boot.</summary>
    public double Seconds { get; init; }

    /// <summary>For <see cref="CriticalPodCrashLoop"/>: a label selector (<c>app=cni</c>, as <c>kubectl -l</c> takes it).</summary>
    public string? Selector { get; init; }

    /// <summary>The digest part of <see cref="Image"/>.</summary>
    public string Digest => Image[(Image.IndexOf('@', StringComparison.Ordinal) + 1)..];

    /// <summary>Whether booting <paramref name="digest"/> triggers it.</summary>
    public bool Matches(string? digest) => digest is not null && string.Equals(Digest, digest, StringComparison.Ordinal);

    /// <summary>What is wrong with it, or null when it can be applied.</summary>
    public string? Problem()
    {
        if (!Kinds.Contains(Kind))
        {
            return $"boot fault kind \"{Kind}\" is unknown; known: {string.Join(", ", Kinds)}";
        }

        if (!Digest.StartsWith("sha256:", StringComparison.Ordinal) || Digest.Length != 71)
        {
            return $"{Kind}: \"image\" must be a digest (sha256:<64 hex>) or a pullspec with one, not \"{Image}\"";
        }

        if (Kind is KubeletReadyAfter or ApiUnreachableAfterBoot && !(Seconds > 0))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Kind}: \"seconds\" must be above 0, not {Seconds}");
        }

        if (Kind == CriticalPodCrashLoop && string.IsNullOrWhiteSpace(Selector))
        {
            return $"{Kind}: give the pods' \"selector\" (e.g. app=cni)";
        }

        return null;
    }
}

/// <summary>The boot faults that apply to one boot, folded into what the kubelet model and the server do about them.</summary>
/// <param name="NeverReady">The kubelet never turns Ready.</param>
/// <param name="ReadyAfter">Real time from the boot to Ready, overriding the nominal timings; null: those.</param>
/// <param name="CrashLoopSelectors">Selectors of the DaemonSet pods that crash-loop.</param>
/// <param name="ApiUnreachable">Real time from the boot during which the API server refuses connections; null: none.</param>
public sealed record BootPlan(bool NeverReady, TimeSpan? ReadyAfter, IReadOnlyList<string> CrashLoopSelectors, TimeSpan? ApiUnreachable)
{
    /// <summary>A boot with no fault.</summary>
    public static BootPlan Healthy { get; } = new(false, null, [], null);

    /// <summary>The plan for booting <paramref name="digest"/> under <paramref name="faults"/>; the longest delay wins.</summary>
    public static BootPlan For(IEnumerable<BootFault> faults, string? digest)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var matching = faults.Where(f => f.Matches(digest)).ToList();
        if (matching.Count == 0)
        {
            return Healthy;
        }

        static TimeSpan? Longest(IEnumerable<BootFault> of) =>
            of.Select(f => (TimeSpan?)TimeSpan.FromSeconds(f.Seconds)).DefaultIfEmpty(null).Max();

        return new BootPlan(
            matching.Any(f => f.Kind == BootFault.KubeletNeverReady),
            Longest(matching.Where(f => f.Kind == BootFault.KubeletReadyAfter)),
            [.. matching.Where(f => f.Kind == BootFault.CriticalPodCrashLoop).Select(f => f.Selector!)],
            Longest(matching.Where(f => f.Kind == BootFault.ApiUnreachableAfterBoot)));
    }
}
