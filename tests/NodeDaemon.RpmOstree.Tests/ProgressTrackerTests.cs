namespace NodeDaemon.RpmOstree.Tests;

/// <summary>The container pull's signals, as rpm-ostree v2026.2 sends them, folded into the node's progress line.</summary>
public sealed class ProgressTrackerTests
{
    /// <summary>A signal: M = Message, B = TaskBegin, E = TaskEnd.</summary>
    public static TheoryData<string, string[], string> Pulls => new()
    {
        {
            "nothing counted yet",
            ["M:Pulling manifest: ostree-unverified-registry:quay.io/fedora/fedora-coreos@sha256:aa"],
            "Pulling manifest: ostree-unverified-registry:quay.io/fedora/fedora-coreos@sha256:aa"
        },
        {
            "layers needed",
            ["M:Importing: x (digest: sha256:aa)", "M:ostree chunk layers needed: 3 (1.5 GB)"],
            "pulling 0/3 layers, 0 B/1.5 GB"
        },
        {
            "first layer open",
            ["M:ostree chunk layers needed: 3 (1.5 GB)", "B:[1/3] Fetching ostree chunk sha256:0123456789ab (500.0 MB)"],
            "pulling 0/3 layers, 0 B/1.5 GB"
        },
        {
            "first layer done",
            ["M:ostree chunk layers needed: 3 (1.5 GB)", "B:[1/3] Fetching ostree chunk sha256:0123456789ab (500.0 MB)", "E:done"],
            "pulling 1/3 layers, 500 MB/1.5 GB"
        },
        {
            "chunks and custom layers",
            ["M:ostree chunk layers needed: 2 (1.0 GB)", "M:custom layers needed: 1 (200.0 MB)",
             "B:[1/3] Fetching ostree chunk sha256:0123456789ab (600.0 MB)", "E:done",
             "B:[2/3] Fetching ostree chunk sha256:0123456789ac (400.0 MB)", "E:done",
             "B:[3/3] Fetching layer sha256:0123456789ad (200.0 MB)", "E:done"],
            "pulling 3/3 layers, 1.2 GB/1.2 GB"
        },
        {
            "a task that is no layer ends without counting",
            ["M:ostree chunk layers needed: 1 (20.0 kB)", "B:[1/1] Fetching ostree chunk sha256:0123456789ab (20.0 kB)", "E:done",
             "B:Staging deployment", "E:done"],
            "pulling 1/1 layers, 20 kB/20 kB"
        },
        {
            "every layer already present",
            ["M:ostree chunk layers already present: 7", "B:Staging deployment"],
            "Staging deployment"
        },
    };

    [Theory]
    [MemberData(nameof(Pulls))]
    public void Folds_upstream_container_pull_signals(string because, string[] signals, string expected)
    {
        var tracker = new ProgressTracker(null);
        foreach (var signal in signals)
        {
            var text = signal[2..];
            switch (signal[0])
            {
                case 'M': tracker.Message(text); break;
                case 'B': tracker.TaskBegin(text); break;
                case 'E': tracker.TaskEnd(text); break;
            }
        }

        Assert.True(expected == tracker.Current.Describe(), $"{because}: {tracker.Current.Describe()}");
    }

    [Theory]
    [InlineData("512 bytes", 512L)]
    [InlineData("1 byte", 1L)]
    [InlineData("20.0 kB", 20_000L)]
    [InlineData("180.4 MB", 180_400_000L)]
    [InlineData("1.2 GB", 1_200_000_000L)]
    [InlineData("12 MiB", null)]
    [InlineData("lots", null)]
    public void Reads_glib_sizes(string text, long? bytes)
    {
        Assert.Equal(bytes, ProgressTracker.ParseSize(text));
    }
}
