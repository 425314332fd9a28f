using System.CommandLine;
using Btc.Cli.Mongo;
using Btc.Cli.Stages;

namespace Btc.Cli.Commands;

/// <summary><c>btc moving</c>, <c>btc zscore</c>, <c>btc bonus</c> and <c>btc load</c>: bind options, run the stage with <see cref="StageRunner"/>.</summary>
internal static class StageCommands
{
    private const string Restart =
        """
        Offsets are committed only after the outputs they cover are acknowledged. Started again after a
        crash, the stage replays its input up to the committed offsets to rebuild its state, then goes
        on: its outputs are the ones an uninterrupted run gives (a record may repeat, never differ).
        It reads every partition of its inputs, partitions added while it runs included; run one
        process per stage and group. Runs until Ctrl+C, which flushes and commits.
        """;

    public static Command Moving()
    {
        var options = new StageOptions("moving");
        WindowsOption windows = new();
        var command = new Command(
            "moving",
            $"""
            Consume btc-price, accept records in event time, and publish the mean and sample standard
            deviation of each symbol's price over each window to btc-price-moving. Invalid, late and
            duplicate prices go to btc-price-rejected with their reason.
            {Restart}

            Example:
              ./btc moving --bootstrap-servers 127.0.0.1:PORT --idle-timeout 5s
            """)
        {
            windows,
        };
        options.AddTo(command, options.PriceTopic, options.MovingTopic, options.RejectedTopic);
        command.SetCancellableAction((parseResult, cancellationToken) =>
        {
            StageSettings settings = options.Bind(parseResult) with { Windows = windows.ValueIn(parseResult) };
            return Run(parseResult, "moving", settings, c => new MovingStage(c), cancellationToken);
        });
        return command;
    }

    public static Command ZScore()
    {
        var options = new StageOptions("zscore");
        var command = new Command(
            "zscore",
            $"""
            Join btc-price with btc-price-moving in event time and publish each price's z-score per
            window, (price - mean) / std (0 where std is 0), to btc-price-zscore. A price waits for its
            statistics until the moving input's watermark passes its timestamp.
            {Restart}

            Example:
              ./btc zscore --bootstrap-servers 127.0.0.1:PORT --idle-timeout 5s
            """);
        options.AddTo(command, options.PriceTopic, options.MovingTopic, options.ZScoreTopic);
        command.SetCancellableAction((parseResult, cancellationToken) => Run(parseResult, "zscore", options.Bind(parseResult), c => new ZScoreStage(c), cancellationToken));
        return command;
    }

    public static Command Bonus()
    {
        var options = new StageOptions("bonus");
        DurationOption horizon = CommonOptions.Horizon();
        var command = new Command(
            "bonus",
            $"""
            Consume btc-price and publish, for every accepted price, the seconds to the first higher and
            the first lower price of its symbol within the horizon (or the horizon itself) to
            btc-price-higher and btc-price-lower.
            {Restart}

            Example:
              ./btc bonus --bootstrap-servers 127.0.0.1:PORT --idle-timeout 5s
            """)
        {
            horizon,
        };
        options.AddTo(command, options.PriceTopic, options.HigherTopic, options.LowerTopic);
        command.SetCancellableAction((parseResult, cancellationToken) =>
        {
            StageSettings settings = options.Bind(parseResult) with { Horizon = horizon.ValueIn(parseResult) };
            return Run(parseResult, "bonus", settings, c => new BonusStage(c), cancellationToken);
        });
        return command;
    }

    public static Command Load()
    {
        var options = new StageOptions("load");
        var mongoUri = new Option<string?>("--mongo-uri")
        {
            Description = $"MongoDB connection string (environment variable {MongoSettings.UriEnvironmentVariable}); its password is never logged.",
            HelpName = "URI",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(MongoSettings.UriEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
        };
        var database = new Option<string>("--database") { HelpName = "NAME", Description = "The MongoDB database.", DefaultValueFactory = _ => "btc" };
        database.Check(name => MongoSettings.IsValidDatabaseName(name) ? null : $"--database: '{name}' is not a MongoDB database name: 1 to 63 characters, none of them / \\ . \" $ or a space.");
        var batchSize = new Option<int>("--batch-size") { HelpName = "N", Description = "Z-score records per bulk write; a batch is also written at every commit interval.", DefaultValueFactory = _ => 1000 };
        batchSize.Check(size => size is >= 1 and <= 100_000, "--batch-size must be 1 to 100000.");
        WindowsOption windows = new();
        windows.Description = "The windows whose collections (btc-price-zscore-<window>) and timestamp indexes are created at start-up.";
        var command = new Command(
            "load",
            """
            Consume btc-price-zscore and write each record into MongoDB, one document per window in the
            collection btc-price-zscore-<window>, as an upsert on _id {symbol, timestamp}: replaying
            input leaves exactly one document per key. Offsets are committed only after MongoDB
            acknowledged; while MongoDB is down it retries with backoff and commits nothing.
            Runs until Ctrl+C, which writes and commits what was read.

            Example:
              ./btc load --bootstrap-servers 127.0.0.1:PORT --mongo-uri mongodb://localhost:27017
            """)
        {
            mongoUri, database, batchSize, windows,
        };
        options.AddTo(command, options.ZScoreTopic, options.RejectedTopic);
        command.SetCancellableAction((parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(mongoUri) is not { Length: > 0 } uri)
            {
                return Task.FromResult(CommandError.Usage(parseResult, $"give --mongo-uri or set {MongoSettings.UriEnvironmentVariable}."));
            }

            if (MongoSettings.UriProblem(uri) is { } problem)
            {
                return Task.FromResult(CommandError.Usage(parseResult, problem));
            }

            var mongo = new MongoSettings { Uri = uri, Database = parseResult.GetValue(database)!, BatchSize = parseResult.GetValue(batchSize), Windows = windows.ValueIn(parseResult) };
            return Run(parseResult, "load", options.Bind(parseResult), c => new LoadStage(c, mongo), cancellationToken);
        });
        return command;
    }

    private static Task<int> Run(ParseResult parseResult, string name, StageSettings settings, Func<StageContext, IStage> create, CancellationToken cancellationToken) =>
        StageRunner.RunAsync(name, settings, create, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
}
