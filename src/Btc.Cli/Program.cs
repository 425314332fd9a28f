using Btc.Cli;

return BtcCommand.Run(args, Console.Out, Console.Error);
