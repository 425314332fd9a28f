using Btc.Cli;

StartupProfile.Start(args, StartupProfile.DefaultFolder);
return await BtcCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
