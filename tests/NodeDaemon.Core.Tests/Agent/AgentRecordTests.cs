using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The persisted notes: pure updates, backoff, and a new target starting clean.</summary>
public sealed class AgentRecordTests
{
    [Fact]
    public void Stage_failures_back_off_doubling_and_capped()
    {
        var options = new StagingOptions { RetryDelay = TimeSpan.FromSeconds(10) };
        var record = Record(D2);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 9; i++)
        {
            record = record.WithStageFailure("boom " + i, Now, options);
            delays.Add(record.NextStageAttemptAt!.Value - Now);
        }

        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 640, 640], delays.Select(d => d.TotalSeconds));
        Assert.Equal(9, record.StageFailures);
        Assert.Equal("boom 8", record.LastStageError);
    }

    [Fact]
    public void A_successful_stage_clears_the_failures()
    {
        var record = Record(D2).WithStageFailure("boom", Now, new()).WithStaged(Digest.Parse(D2));

        Assert.Equal(0, record.StageFailures);
        Assert.Null(record.NextStageAttemptAt);
        Assert.Null(record.LastStageError);
        Assert.Equal(Digest.Parse(D2), record.LockedStage);
    }

    [Fact]
    public void Each_reboot_request_counts_and_needs_a_fresh_drain()
    {
        var record = Record(D2).WithDrained().WithRebootRequested("boot-1", Now);
        Assert.Equal(new RebootRequest(1, "boot-1", Now), record.Reboot);
        Assert.False(record.Drained);

        record = record.WithDrained().WithRebootRequested("boot-2", Now.AddHours(1));
        Assert.Equal(new RebootRequest(2, "boot-2", Now.AddHours(1)), record.Reboot);
    }

    [Fact]
    public void The_host_answer_to_a_reboot_request_is_noted_and_a_new_request_starts_unanswered()
    {
        var requested = Record(D2).WithRebootRequested("boot-1", Now);

        Assert.Equal(new RebootRequest(1, "boot-1", Now, Accepted: true), requested.WithRebootAccepted().Reboot);
        Assert.Equal(new RebootRequest(1, "boot-1", Now, Refusal: "no"), requested.WithRebootRefused("no").Reboot);
        Assert.Equal(new RebootRequest(2, "boot-1", Now), requested.WithRebootRefused("no").WithRebootRequested("boot-1", Now).Reboot);
        Assert.Null(Record(D2).WithRebootAccepted().Reboot);
    }

    [Fact]
    public void A_request_never_answered_in_this_boot_is_asked_again_as_the_same_attempt()
    {
        // kill -9 between our note and the host's answer: nothing rebooted, so no attempt is spent, and the first ask
        // keeps bounding the retries.
        var unanswered = Record(D2).WithDrained().WithRebootRequested("boot-1", Now);

        var again = unanswered.WithDrained().WithRebootRequested("boot-1", Now.AddMinutes(2));

        Assert.Equal(new RebootRequest(1, "boot-1", Now), again.Reboot);
        Assert.False(again.Drained);
        Assert.Equal(new RebootRequest(2, "boot-2", Now.AddMinutes(2)), unanswered.WithRebootRequested("boot-2", Now.AddMinutes(2)).Reboot);
    }

    [Fact]
    public void About_another_target_starts_clean()
    {
        var record = Record(D2).WithFailure(new("x", AgentState.Draining));

        Assert.Same(record, record.About(Key(D2)));
        Assert.Equal(AgentRecord.For(Key(D3)), record.About(Key(D3)));
    }
}
