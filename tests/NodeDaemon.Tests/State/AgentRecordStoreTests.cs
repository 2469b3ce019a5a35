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
            .WithStaged(digest)
            .WithStageFailure("manifest unknown\nsecond line", _time.GetUtcNow(), new(), new Moment(_time.GetUtcNow(), "boot-0", TimeSpan.FromTicks(123_456_789)))
            .WithDrained()
            .WithRebootRequested("boot-1", _time.GetUtcNow(), TimeSpan.FromMinutes(5))
            .WithRebootRefused("Expected staged base checksum x")
            .WithFailure(new RecordedFailure("drain timed out: default/web-2", AgentState.Draining, KeepCordon: true))
            with { StageFailures = 2, LastStageError = "x" };

        Store().Save(record);

        Assert.Equal(record, Store().Load());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Store().Path));
        Assert.Equal([AgentRecordStore.FileName], _dir.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void A_drain_start_and_an_inhibitor_wait_keep_both_clocks()
    {
        var record = AgentRecord.For("t")
            .WithDrainStarted(new Moment(_time.GetUtcNow(), "boot-1", TimeSpan.FromMinutes(3)))
            .WithRebootRequested("boot-1", _time.GetUtcNow(), TimeSpan.FromMinutes(4))
            .WithRebootInhibited("Reboot blocked by a systemd inhibitor lock", _time.GetUtcNow(), TimeSpan.FromMinutes(4));
        // A reboot request ends the drain and forgets its start: set it again, to check both fields in one file.
        record = record with { DrainStarted = new Moment(_time.GetUtcNow(), "boot-1", TimeSpan.FromMinutes(3)) };

        Store().Save(record);

        Assert.Equal(record, Store().Load());
        Assert.Equal(TimeSpan.FromMinutes(4), Store().Load().Reboot!.InhibitedMonotonic);
    }

    [Fact]
    public void A_drain_start_noted_by_an_older_version_is_read_on_the_wall_clock()
    {
        File.WriteAllText(Store().Path, """{"version": 1, "target": "t", "drainStartedAt": "2026-11-25T12:00:00Z"}""");

        Assert.Equal(Moment.WallOnly(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)), Store().Load().DrainStarted);
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
    [InlineData("""{"version": 1, "stageFailures": -1}""")]
    [InlineData("""{"version": 1, "reboot": {"attempts": -5, "fromBootId": "b", "requestedAt": "2026-11-25T12:00:00Z"}}""")]
    [InlineData("""{"version": 1, "reboot": {"attempts": 0, "fromBootId": "b", "requestedAt": "2026-11-25T12:00:00Z"}}""")]
    [InlineData("""{"version": 1, "reboot": {"attempts": 1, "fromBootId": null, "requestedAt": "2026-11-25T12:00:00Z"}}""")]
    [InlineData("""{"version": 1, "reboot": {"attempts": 1, "fromBootId": " ", "requestedAt": "2026-11-25T12:00:00Z"}}""")]
    [InlineData("""{"version": 1, "reboot": {"attempts": 1, "fromBootId": "b", "requestedAt": "2026-11-25T12:00:00Z", "monotonicTicks": -1}}""")]
    [InlineData("""{"version": 1, "reboot": {"attempts": 1, "fromBootId": "b", "requestedAt": "not a time"}}""")]
    [InlineData("""{"version": 1, "reboot": {"attempts": 99999999999, "fromBootId": "b", "requestedAt": "2026-11-25T12:00:00Z"}}""")]
    [InlineData("""{"version": 1, "stageFailedAt": {"wall": "2026-11-25T12:00:00Z", "bootId": "b", "monotonicTicks": -7}}""")]
    [InlineData("""{"version": 1, "stageFailedAt": {"wall": "2026-11-25T12:00:00Z", "monotonicTicks": 7}}""")]
    [InlineData("""{"version": 1, "drainStarted": {"wall": "2026-11-25T12:00:00Z", "bootId": "b", "monotonicTicks": -7}}""")]
    [InlineData("""{"version": 1, "reboot": {"attempts": 1, "fromBootId": "b", "requestedAt": "2026-11-25T12:00:00Z", "inhibitedMonotonicTicks": -1}}""")]
    [InlineData("""{"version": 1, "failure": {"reason": null, "failedIn": "Draining", "keepCordon": false}}""")]
    [InlineData("""{"version": 1, "failure": {"reason": "r", "failedIn": "42", "keepCordon": false}}""")]
    [InlineData("""{"version": 1, "failure": {"reason": "r", "failedIn": null, "keepCordon": false}}""")]
    [InlineData("""{"version": 1, "target": ""}""")]
    [InlineData("""[]""")]
    public void An_unreadable_file_is_moved_aside_and_the_notes_start_empty(string content)
    {
        File.WriteAllText(Path.Combine(_dir.FullName, AgentRecordStore.FileName), content);

        Assert.Same(AgentRecord.Empty, Store().Load());

        var aside = Assert.Single(_dir.GetFiles("*.corrupt-*"));
        Assert.Equal(content, File.ReadAllText(aside.FullName));
        Assert.False(File.Exists(Store().Path));
    }

    [Fact]
    public void An_oversized_file_is_moved_aside_without_reading_it_all()
    {
        File.WriteAllText(Store().Path, new string(' ', AgentRecordStore.MaxBytes) + """{"version": 1}""");

        Assert.Same(AgentRecord.Empty, Store().Load());
        Assert.Single(_dir.GetFiles("*.corrupt-*"));
    }

    [Fact]
    public void A_request_dated_year_9999_loads_the_decision_never_waits_on_it()
    {
        File.WriteAllText(Store().Path, """{"version": 1, "target": "t", "reboot": {"attempts": 1, "fromBootId": "b", "requestedAt": "9999-12-31T23:59:59Z", "accepted": true}}""");

        var record = Store().Load();

        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), record.Reboot!.RequestedAt);
    }

    [Fact]
    public void A_failed_write_throws_the_errors_the_loop_holds_on()
    {
        // A directory where the temporary file goes: the write fails as a full disk would, whoever runs the test.
        Directory.CreateDirectory(Store().Path + ".tmp");

        var e = Assert.ThrowsAny<Exception>(() => Store().Save(AgentRecord.For("a")));
        Assert.True(e is IOException or UnauthorizedAccessException, e.ToString());
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
