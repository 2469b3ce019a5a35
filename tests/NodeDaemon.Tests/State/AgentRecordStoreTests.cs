using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using NodeDaemon.State;

namespace NodeDaemon.Tests.State;

/// <summary>The state file: durable round trips, and an unreadable file kept aside instead of crashing the agent.</summary>
public sealed class AgentRecordStoreTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-state-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private AgentRecordStore Store() => new(_dir.FullName, _time, NullLogger<AgentRecordStore>.Instance);

    [Fact]
    public void No_file_is_empty_notes()
    {
        Assert.Same(AgentRecord.Empty, Store().Load());
    }

    [Fact]
    public void Every_field_survives_a_round_trip()
    {
        var digest = Digest.Parse("sha256:" + new string('a', 64));
        var record = AgentRecord.For("quay.io/example/os@" + digest)
            .WithStageFailure("manifest unknown\nsecond line", _time.GetUtcNow(), new())
            .WithStaged(digest)
            .WithDrained()
            .WithRebootRequested("boot-1", _time.GetUtcNow())
            .WithRebootRefused("Expected staged base checksum x")
            .WithFailure(new RecordedFailure("drain timed out: default/web-2", AgentState.Draining, KeepCordon: true))
            with { StageFailures = 2, LastStageError = "x" };

        Store().Save(record);

        Assert.Equal(record, Store().Load());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Store().Path));
        Assert.Equal([AgentRecordStore.FileName], _dir.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void A_later_save_replaces_the_file()
    {
        Store().Save(AgentRecord.For("a"));
        Store().Save(AgentRecord.For("b"));

        Assert.Equal("b", Store().Load().Target);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("""{"version": 1, "lockedStage": "sha256:XYZ"}""")]
    [InlineData("""{"version": 1, "failure": {"reason": "r", "failedIn": "Exploded", "keepCordon": false}}""")]
    [InlineData("""{"version": 7}""")]
    public void An_unreadable_file_is_moved_aside_and_the_notes_start_empty(string content)
    {
        File.WriteAllText(Path.Combine(_dir.FullName, AgentRecordStore.FileName), content);

        Assert.Same(AgentRecord.Empty, Store().Load());

        var aside = Assert.Single(_dir.GetFiles("*.corrupt-*"));
        Assert.Equal(content, File.ReadAllText(aside.FullName));
        Assert.False(File.Exists(Store().Path));
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
