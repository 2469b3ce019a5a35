using NodeDaemon.Core.Host;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Runs one rpm-ostreed transaction: connect peer-to-peer, subscribe, <c>Start()</c>, stream progress, await the end.</summary>
/// <remarks>
/// The transaction lives at <c>/</c> on a private socket, with no bus in between, so the signal subscriptions
/// must not send AddMatch (there is no bus to receive it). A closed peer connection without <c>Finished</c>
/// means rpm-ostreed went away; the caller then reads the outcome from the deployments instead of assuming it.
/// </remarks>
internal static class TransactionRunner
{
    /// <summary>How long a cancelled transaction gets to say <c>Finished</c> before we stop waiting.</summary>
    private static readonly TimeSpan s_cancelGrace = TimeSpan.FromSeconds(10);

    public static async Task<TransactionOutcome> RunAsync(string address, IProgress<StageProgress>? progress, TimeSpan timeout,
        TimeProvider time, CancellationToken cancellationToken)
    {
        using var peer = new DBusConnection(new DBusConnectionOptions(address) { AutoConnect = false });
        await peer.ConnectAsync().ConfigureAwait(false);
        var finished = new TaskCompletionSource<TransactionOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reporter = new ProgressTracker(progress);
        var subscriptions = new List<IDisposable>
        {
            await Watch(peer, "Finished", static (m, _) => ReadFinished(m),
                outcome => finished.TrySetResult(outcome)).ConfigureAwait(false),
            await Watch(peer, "Message", static (m, _) => m.GetBodyReader().ReadString(), reporter.Message).ConfigureAwait(false),
            await Watch(peer, "TaskBegin", static (m, _) => m.GetBodyReader().ReadString(), reporter.TaskBegin).ConfigureAwait(false),
            await Watch(peer, "TaskEnd", static (m, _) => m.GetBodyReader().ReadString(), reporter.TaskEnd).ConfigureAwait(false),
            await Watch(peer, "PercentProgress", static (m, _) => ReadPercent(m), reporter.Text).ConfigureAwait(false),
            await Watch(peer, "DownloadProgress", static (m, _) => ReadDownload(m), reporter.Download).ConfigureAwait(false),
        };
        try
        {
            await StartAsync(peer).ConfigureAwait(false);
            var disconnected = peer.DisconnectedAsync();
            using var timeoutSource = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
            var deadline = Task.Delay(Timeout.InfiniteTimeSpan, linked.Token);
            var first = await Task.WhenAny(finished.Task, disconnected, deadline).ConfigureAwait(false);
            if (first == finished.Task)
            {
                return await finished.Task.ConfigureAwait(false);
            }

            if (first == disconnected)
            {
                // Finished may have been read just before the socket closed.
                return finished.Task.IsCompleted
                    ? await finished.Task.ConfigureAwait(false)
                    : new TransactionOutcome(TransactionEnd.Vanished, "rpm-ostreed closed the transaction without finishing it");
            }

            await CancelAsync(peer).ConfigureAwait(false);
            using var grace = new CancellationTokenSource(s_cancelGrace, time);
            await Task.WhenAny(finished.Task, disconnected, Task.Delay(Timeout.InfiniteTimeSpan, grace.Token)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var said = finished.Task.IsCompletedSuccessfully ? $": {finished.Task.Result.Message}" : "";
            return new TransactionOutcome(TransactionEnd.TimedOut, $"transaction did not finish within {timeout}; cancelled{said}");
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }

    // Start() answers false when the transaction already runs: that is the join after a restart, and fine.
    private static Task<bool> StartAsync(DBusConnection peer) =>
        peer.CallMethodAsync(Call(peer, "Start"), static (Message m, object? _) => m.GetBodyReader().ReadBool(), null);

    private static async Task CancelAsync(DBusConnection peer)
    {
        try
        {
            await peer.CallMethodAsync(Call(peer, "Cancel")).ConfigureAwait(false);
        }
        catch (DBusExceptionBase)
        {
            // Gone or already finished: either way there is nothing left to cancel.
        }
    }

    private static MessageBuffer Call(DBusConnection peer, string member)
    {
        using var writer = peer.GetMessageWriter();
        writer.WriteMethodCallHeader(destination: null, "/", RpmOstreeNames.Transaction, member);
        return writer.CreateMessage();
    }

    private static ValueTask<IDisposable> Watch<T>(DBusConnection peer, string signal, MessageValueReader<T> reader, Action<T> handler) =>
        peer.WatchSignalAsync(null, "/", RpmOstreeNames.Transaction, signal, reader,
            (Notification<T> notification) =>
            {
                if (notification.HasValue)
                {
                    handler(notification.Value);
                }
            },
            ObserverFlags.NoSubscribe, false, null);

    private static TransactionOutcome ReadFinished(Message message)
    {
        var reader = message.GetBodyReader();
        var success = reader.ReadBool();
        var text = reader.ReadString();
        return new TransactionOutcome(success ? TransactionEnd.Succeeded : TransactionEnd.Failed, text);
    }

    private static string ReadPercent(Message message)
    {
        var reader = message.GetBodyReader();
        var text = reader.ReadString();
        var percent = reader.ReadUInt32();
        return $"{text} {percent}%";
    }

    private static DownloadCounts ReadDownload(Message message)
    {
        var reader = message.GetBodyReader();
        reader.AlignStruct();
        reader.ReadUInt64();
        reader.ReadUInt64();
        reader.AlignStruct();
        reader.ReadUInt32();
        reader.ReadUInt32();
        reader.AlignStruct();
        reader.ReadUInt32();
        reader.ReadUInt32();
        reader.ReadUInt32();
        reader.AlignStruct();
        reader.ReadUInt32();
        reader.ReadUInt32();
        reader.ReadUInt32();
        var totalBytes = reader.ReadUInt64();
        reader.AlignStruct();
        var fetched = reader.ReadUInt32();
        var requested = reader.ReadUInt32();
        reader.AlignStruct();
        var transferred = reader.ReadUInt64();
        return new DownloadCounts(fetched, requested, transferred, totalBytes);
    }
}
