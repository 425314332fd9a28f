System.Console.WriteLine(typeof(System.CommandLine.RootCommand).Assembly.FullName);
