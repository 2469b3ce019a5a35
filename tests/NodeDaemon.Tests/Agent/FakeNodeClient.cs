using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;

namespace NodeDaemon.Tests.Agent;

/// <summary>A hand-written node seam: one node's spec and annotations in memory, with a record of what was done.</summary>
internal sealed class FakeNodeClient : INodeClient
{
    private readonly Channel<NodeSnapshot> _watch = Channel.CreateUnbounded<NodeSnapshot>();
    private readonly Dictionary<string, string> _annotations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

    public bool Unschedulable { get; set; }
    /// <summary>Every report written, alone or with a cordon or an uncordon.</summary>
    public List<NodeReport> Reports { get; } = [];

    /// <summary>The reports written in the same write as an uncordon.</summary>
    public List<NodeReport> UncordonReports { get; } = [];

    /// <summary>Writes to the node: reports, cordons and uncordons (one write when a report rides with a cordon).</summary>
    public int Writes { get; private set; }
    public List<(NodeEventKind Kind, string Message)> Events { get; } = [];
    public int Drains { get; private set; }

    /// <summary>Every drain asked for, with what was left of its timeout.</summary>
    public List<DrainRequest> DrainRequests { get; } = [];
    public Func<DrainResult>? DrainOutcome { get; set; }

    /// <summary>When set, the drain is this (it may wait on the token); else it ends at once with <see cref="DrainOutcome"/>.</summary>
    public Func<CancellationToken, Task<DrainResult>>? Draining { get; set; }

    /// <summary>An admin cordons the node just before our cordon gets there (the loop still believes it schedulable).</summary>
    public bool AdminCordonsFirst { get; set; }

    /// <summary>The next annotation report fails with this API error.</summary>
    public ClusterException? FailNextReport { get; set; }
    public IReadOnlyDictionary<string, string> Annotations => _annotations;

    public void Annotate(string key, string? value)
    {
        if (value is null)
        {
            _annotations.Remove(key);
        }
        else
        {
            _annotations[key] = value;
        }

        _watch.Writer.TryWrite(Snapshot());
    }

    /// <summary>Sets a label (null removes it).</summary>
    public void Label(string key, string? value)
    {
        if (value is null)
        {
            _labels.Remove(key);
        }
        else
        {
            _labels[key] = value;
        }

        _watch.Writer.TryWrite(Snapshot());
    }

    public NodeSnapshot Snapshot() => new("worker-1", "uid-1", "1", Unschedulable,
        new Dictionary<string, string>(_annotations), new Dictionary<string, string>(_labels)) { Conditions = [.. _conditions], Ready = Ready };

    /// <summary>The kubelet's Ready condition the node shows (null: none posted); set through <see cref="PostReady"/>.</summary>
    public NodeReadyCondition? Ready { get; private set; }

    /// <summary>The kubelet posts <paramref name="ready"/>: the node changes, and the watch says so.</summary>
    public void PostReady(NodeReadyCondition ready)
    {
        Ready = ready;
        _watch.Writer.TryWrite(Snapshot());
    }

    private readonly List<NodeConditionValue> _conditions = [];

    /// <summary>Every status write of conditions, in order (not counted in <see cref="Writes"/>: another subresource).</summary>
    public List<IReadOnlyList<NodeConditionValue>> ConditionWrites { get; } = [];

    /// <summary>The node's conditions now, merged by type as the API server merges them.</summary>
    public IReadOnlyList<NodeConditionValue> Conditions => _conditions;

    /// <summary>The next status write of conditions fails with this API error.</summary>
    public ClusterException? FailNextConditions { get; set; }

    /// <summary>Status writes of conditions that carried a report (one request for both).</summary>
    public int ReportsWithConditions { get; private set; }

    public async Task SetConditionsAsync(IReadOnlyList<NodeConditionValue> conditions, NodeReport? report, CancellationToken cancellationToken)
    {
        if (FailNextConditions is { } failure)
        {
            FailNextConditions = null;
            throw failure;
        }

        if (report is not null)
        {
            // The report rides in the same write: recorded (and failed, or held) as a report alone would be.
            await ReportAsync(report, cancellationToken);
            ReportsWithConditions++;
        }

        ConditionWrites.Add(conditions);
        foreach (var condition in conditions)
        {
            _conditions.RemoveAll(c => c.Type == condition.Type);
            _conditions.Add(condition);
        }
    }

    /// <summary>How often the node was read with <see cref="GetAsync"/> (the watch and the cordon answers are not counted).</summary>
    public int Gets { get; private set; }

    public Task<NodeSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        Gets++;
        return Task.FromResult(Snapshot());
    }

    public async IAsyncEnumerable<NodeSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Snapshot();
        await foreach (var snapshot in _watch.Reader.ReadAllAsync(cancellationToken))
        {
            yield return snapshot;
        }
    }

    /// <summary>Awaited inside every report write before it is recorded (e.g. to hold one write open).</summary>
    public Func<NodeReport, Task>? ReportHook { get; set; }

    /// <summary>Report writes in flight now, and the most ever in flight at once.</summary>
    public int WritesInFlight => _inFlight;

    public int MaxWritesInFlight { get; private set; }

    private int _inFlight;

    public async Task ReportAsync(NodeReport report, CancellationToken cancellationToken)
    {
        MaxWritesInFlight = Math.Max(MaxWritesInFlight, Interlocked.Increment(ref _inFlight));
        try
        {
            if (FailNextReport is { } failure)
            {
                FailNextReport = null;
                throw failure;
            }

            if (ReportHook is { } hook)
            {
                await hook(report);
            }

            Reports.Add(report);
            Writes++;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<CordonResult> CordonAsync(NodeReport? report, CancellationToken cancellationToken)
    {
        Unschedulable |= AdminCordonsFirst;
        if (Unschedulable)
        {
            return Task.FromResult(new CordonResult(false, Snapshot()));
        }

        Written(report);
        Unschedulable = true;
        Annotate("nodedaemon.io/cordoned-by", "nodedaemon");
        return Task.FromResult(new CordonResult(true, Snapshot()));
    }

    public Task<CordonResult> UncordonAsync(NodeReport? report, CancellationToken cancellationToken)
    {
        if (!_annotations.ContainsKey("nodedaemon.io/cordoned-by"))
        {
            return Task.FromResult(new CordonResult(false, Snapshot()));
        }

        Written(report);
        if (report is not null)
        {
            UncordonReports.Add(report);
        }

        Unschedulable = false;
        Annotate("nodedaemon.io/cordoned-by", null);
        return Task.FromResult(new CordonResult(true, Snapshot()));
    }

    public Task<DrainResult> DrainAsync(DrainRequest request, IProgress<DrainProgress>? progress, CancellationToken cancellationToken)
    {
        Assert.True(Unschedulable, "drained a schedulable node");
        Drains++;
        DrainRequests.Add(request);
        if (Draining is { } draining)
        {
            return draining(cancellationToken);
        }

        progress?.Report(new DrainProgress(1, 1, null, "draining: 1/1 pods evicted"));
        return Task.FromResult(DrainOutcome?.Invoke() ?? new DrainResult(Core.Cluster.DrainOutcome.Drained, "drained", 1, 1, [], []));
    }

    private void Written(NodeReport? report)
    {
        Writes++;
        if (report is not null)
        {
            Reports.Add(report);
        }
    }

    public Task RecordEventAsync(NodeEventKind kind, string message, bool warning, CancellationToken cancellationToken)
    {
        Events.Add((kind, message));
        return Task.CompletedTask;
    }
}
