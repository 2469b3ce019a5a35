using NodeDaemon.Sim;

return await SimCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
