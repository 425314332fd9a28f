using Btc.Cli;

return await BtcCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
