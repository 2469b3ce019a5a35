using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Starts rpm-ostreed transactions (waiting while another client's runs) and runs them to their end, logged.</summary>
internal sealed class RpmOstreeTransactions(RpmOstreeBus bus, RpmOstreeRegistration registration, RpmOstreeHostOptions options, TimeProvider time,
    ILogger logger)
{
    private const string RebootInitiated = "Reboot initiated, cannot start new transaction";

    /// <summary>Calls <paramref name="call"/>, which starts a transaction; while another client's transaction runs, waits for it (bounded) and retries.</summary>
    /// <returns>The address of the transaction's peer-to-peer socket.</returns>
    public async Task<string> StartAsync(Func<Task<string>> call, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.Staging.BusyWait;
        while (true)
        {
            try
            {
                var address = await call().WaitAsync(RpmOstreeBus.CallTimeout, time, cancellationToken).ConfigureAwait(false);
                registration.Accepted();
                return address;
            }
            catch (TimeoutException e)
            {
                throw new HostException(HostErrorKind.Unavailable, $"rpm-ostreed did not answer within {RpmOstreeBus.CallTimeout}", e);
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == RpmOstreeNames.BusyError)
            {
                if (time.GetUtcNow() >= deadline)
                {
                    throw new HostException(HostErrorKind.Busy, $"rpm-ostree stayed busy for {options.Staging.BusyWait}: {e.ErrorMessage}", e);
                }

                RpmOstreeLog.Busy(logger, e.ErrorMessage);
                await Task.Delay(options.BusyPollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (DBusErrorReplyException e) when (e.ErrorMessage.Contains(RebootInitiated, StringComparison.Ordinal))
            {
                await registration.LetGoAsync(e.ErrorMessage).ConfigureAwait(false);
                throw new HostException(HostErrorKind.Failed,
                    $"{e.ErrorMessage}: rpm-ostreed asked for a reboot that did not happen and takes no transaction until it exits idle", e);
            }
            catch (DBusErrorReplyException e)
            {
                throw new HostException(HostErrorKind.Failed, e.ErrorMessage, e);
            }
        }
    }

    /// <summary>Runs the transaction at <paramref name="address"/> to its end (see <see cref="TransactionRunner"/>), then has rpm-ostreed reload the sysroot.</summary>
    public async Task<TransactionOutcome> RunAsync(string address, string method, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        RpmOstreeLog.TransactionStarted(logger, method, address);
        var outcome = await TransactionRunner.RunAsync(address, progress, options.Staging.TransactionTimeout, time, cancellationToken)
            .ConfigureAwait(false);
        switch (outcome.End)
        {
            case TransactionEnd.Vanished:
                RpmOstreeLog.Vanished(logger, method);
                break;
            case TransactionEnd.TimedOut:
                RpmOstreeLog.TimedOut(logger, method, options.Staging.TransactionTimeout.TotalSeconds);
                break;
            default:
                RpmOstreeLog.TransactionFinished(logger, method, outcome.End == TransactionEnd.Succeeded, outcome.Message);
                break;
        }

        try
        {
            await bus.ReloadAsync().ConfigureAwait(false);
        }
        catch (DBusExceptionBase)
        {
            // A restarted rpm-ostreed has read the sysroot afresh anyway.
        }

        return outcome;
    }
}
