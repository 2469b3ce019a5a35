using NodeDaemon.Cli;

return await NodeDaemonCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
