using NodeDaemon.Core.Host;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>Builders for decision inputs: three digests, one repository, one clock.</summary>
internal static class Build
{
    public static readonly string D1 = "sha256:" + new string('1', 64);
    public static readonly string D2 = "sha256:" + new string('2', 64);
    public static readonly string D3 = "sha256:" + new string('3', 64);
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    public const string Repo = "quay.io/example/os";
    public const string BootId = "boot-1";
    public const string Pool = "workers";

    public static string Pull(string digest) => $"{Repo}@{digest}";

    public static string Key(string digest) => ImageReference.Parse(Pull(digest)).ToString();

    public static HostDeployment Deployment(string digest, string? reference = null) =>
        new($"ostree-unverified-registry:{reference ?? Pull(digest)}", Digest.Parse(digest), "c0" + digest[7..20]);

    public static readonly HostDeployment OstreeRemote = new(null, null, "8c3a9e1f0d");

    public static AgentRecord Record(string digest) => AgentRecord.For(Key(digest));

    /// <summary><paramref name="options"/> with the health gate off: today's behaviour, which the rows from before the gate describe.</summary>
    public static NodeDaemonOptions GateOff(NodeDaemonOptions options) => options with { Health = options.Health with { Timeout = TimeSpan.Zero } };

    /// <summary><paramref name="options"/> as the rows read them: a health section left at its defaults means the gate off, so the
    /// rows from before the gate keep describing today's behaviour; rows about the gate set a health section of their own.</summary>
    public static NodeDaemonOptions Rows(NodeDaemonOptions? options) =>
        options is null || options.Health == new HealthOptions() ? GateOff(options ?? new NodeDaemonOptions()) : options;

    public static AgentInputs Inputs(
        string? desired = null,
        HostDeployment? booted = null,
        HostDeployment? staged = null,
        AgentRecord? record = null,
        bool unschedulable = false,
        bool cordonedByUs = false,
        bool paused = false,
        bool slotHeld = false,
        bool windowOpen = true,
        DateTimeOffset? nextWindowOpening = null,
        NodeDaemonOptions? options = null,
        DateTimeOffset? now = null,
        string bootId = BootId,
        string? slotDigest = null,
        SlotRefusal? slotRefusal = null,
        string? pool = Pool,
        bool staleMark = false,
        TimeSpan? monotonic = null,
        string? notesUnwritable = null,
        HostDeployment? rollback = null,
        HostDeployment? defaultDeployment = null,
        string? rejectedMark = null) =>
        new(
            new NodeView(desired, paused, unschedulable || cordonedByUs, cordonedByUs, pool, staleMark, rejectedMark),
            new HostView(booted ?? Deployment(D1), staged, bootId, rollback, defaultDeployment),
            record ?? AgentRecord.Empty,
            Rows(options),
            now ?? Now,
            slotHeld ? new HeldSlot("slot-0", slotDigest is null ? null : Digest.Parse(slotDigest)) : null,
            windowOpen,
            nextWindowOpening,
            slotRefusal,
            monotonic,
            notesUnwritable);

    public static AgentAction.Stage StageOf(string pullspec, bool verified = false)
    {
        var image = ImageReference.Parse(pullspec);
        return new AgentAction.Stage(OstreeRefspec.ForImage(image, verified), image.Digest);
    }
}
