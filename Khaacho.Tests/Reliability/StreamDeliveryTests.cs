using Khaacho.Core.Messaging;
using Khaacho.Tests.Hosting;
using Khaacho.Worker.Streaming;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Khaacho.Tests.Reliability;

/// <summary>
/// Issue 12, findings 1, 2 and 5: the real consumer on the app's Redis must never drop, double or loop on an entry,
/// whatever its handlers, its peers or Redis do.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StreamDeliveryTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_slow_handler_keeps_its_message_and_a_second_consumer_never_runs_it_too()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var handler = new SlowHandler(ConsumerFaults.NewStream(), TimeSpan.FromSeconds(5));
        // Claim after 1.5 s idle: without a heartbeat, the other consumer would claim each message mid-run.
        var a = await ConsumerFaults.StartAsync(services, handler, new StreamOptions { ConsumerName = "a", ClaimIdleTime = TimeSpan.FromSeconds(1.5) });
        var b = await ConsumerFaults.StartAsync(services, handler, new StreamOptions { ConsumerName = "b", ClaimIdleTime = TimeSpan.FromSeconds(1.5) });
        try
        {
            for (var i = 0; i < 6; i++) await redis.StreamAddAsync(handler.Stream, [new("payload", $"m{i}")]);
            await Eventually.UntilAsync(() => handler.Completed.Count == 6, 40, "all six messages handled");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await a.StopAsync();
            await b.StopAsync();
        }
        Assert.All(handler.Runs, run => Assert.Equal(1, run.Value));
        Assert.Equal(0, (await redis.StreamPendingAsync(handler.Stream, handler.Stream)).PendingMessageCount);
    }

    [Fact]
    public async Task An_entry_whose_fields_cannot_be_read_is_dead_lettered_with_the_reason_instead_of_redelivered_forever()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var handler = new SlowHandler(ConsumerFaults.NewStream(), TimeSpan.Zero);
        var consumer = await ConsumerFaults.StartAsync(services, handler, new StreamOptions { ClaimIdleTime = TimeSpan.FromSeconds(1) });
        try
        {
            await redis.StreamAddAsync(handler.Stream, [new("payload", "{}"), new("attempt", "not-a-number")]);
            await Eventually.UntilAsync(async () => await redis.StreamLengthAsync(Streams.DeadLetters(handler.Stream)) == 1, what: "the entry dead-lettered");
        }
        finally
        {
            await consumer.StopAsync();
        }
        var letter = (await redis.StreamRangeAsync(Streams.DeadLetters(handler.Stream)))[0];
        Assert.Contains("attempt", letter[DeadLetterFields.Error].ToString());
        Assert.Empty(handler.Runs);
        Assert.Equal(0, (await redis.StreamPendingAsync(handler.Stream, handler.Stream)).PendingMessageCount);
    }

    [Fact]
    public async Task An_entry_that_keeps_killing_its_consumers_is_dead_lettered_as_poison_once_claimed()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var handler = new SlowHandler(ConsumerFaults.NewStream(), TimeSpan.Zero);
        await redis.StreamCreateConsumerGroupAsync(handler.Stream, handler.Stream, StreamPosition.Beginning, createStream: true);
        var id = await redis.StreamAddAsync(handler.Stream, [new("payload", "kills-everyone")]);
        // As if six consumers had each taken it and died: delivered, then claimed again five times.
        await redis.StreamReadGroupAsync(handler.Stream, handler.Stream, "dead-1", StreamPosition.NewMessages);
        await redis.ExecuteAsync("XCLAIM", handler.Stream, handler.Stream, "dead-2", 0, id, "RETRYCOUNT", 6);

        var consumer = await ConsumerFaults.StartAsync(services, handler, new StreamOptions { ClaimIdleTime = TimeSpan.FromMilliseconds(300), MaxDeliveries = 5 });
        try
        {
            await Eventually.UntilAsync(async () => await redis.StreamLengthAsync(Streams.DeadLetters(handler.Stream)) == 1, what: "the poison entry dead-lettered");
        }
        finally
        {
            await consumer.StopAsync();
        }
        Assert.Empty(handler.Runs);
        Assert.Contains("Delivered 7 times", (await redis.StreamRangeAsync(Streams.DeadLetters(handler.Stream)))[0][DeadLetterFields.Error].ToString());
    }

    [Fact]
    public async Task At_shutdown_a_message_that_cannot_finish_in_time_is_handed_back_and_another_consumer_finishes_it()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var stream = ConsumerFaults.NewStream();
        var stuck = new SlowHandler(stream, TimeSpan.FromMinutes(10));
        var leaving = await ConsumerFaults.StartAsync(services, stuck, new StreamOptions { ConsumerName = "leaving", DrainTimeout = TimeSpan.FromSeconds(1) });
        await redis.StreamAddAsync(stream, [new("payload", "long-job"), new("attempt", 2)]);
        await Eventually.UntilAsync(() => stuck.Runs.ContainsKey("long-job"), what: "the message taken");
        await leaving.StopAsync();
        Assert.Equal(1, stuck.Cancelled);

        var quick = new SlowHandler(stream, TimeSpan.Zero);
        var staying = await ConsumerFaults.StartAsync(services, quick, new StreamOptions { ConsumerName = "staying", ClaimIdleTime = TimeSpan.FromHours(1) });
        try
        {
            // Long before any claim timeout: the entry was handed back, not left pending.
            await Eventually.UntilAsync(() => quick.Completed.ContainsKey("long-job"), 10, "the handed-back message finished");
        }
        finally
        {
            await staying.StopAsync();
        }
        Assert.Equal(0, (await redis.StreamPendingAsync(stream, stream)).PendingMessageCount);
    }

    [Fact]
    public async Task When_Redis_loses_the_stream_and_its_group_the_consumer_recreates_the_group_and_consumes_again()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var handler = new SlowHandler(ConsumerFaults.NewStream(), TimeSpan.Zero);
        var consumer = await ConsumerFaults.StartAsync(services, handler, new StreamOptions());
        try
        {
            await redis.StreamAddAsync(handler.Stream, [new("payload", "before")]);
            await Eventually.UntilAsync(() => handler.Completed.ContainsKey("before"));
            // What a restart without data (or FLUSHALL) does to this stream: the key, and with it the group, is gone.
            await redis.KeyDeleteAsync(handler.Stream);
            await redis.StreamAddAsync(handler.Stream, [new("payload", "after")]);
            await Eventually.UntilAsync(() => handler.Completed.ContainsKey("after"), 15, "a message published after the loss consumed");
        }
        finally
        {
            await consumer.StopAsync();
        }
    }

    [Fact]
    public async Task Trimming_removes_only_entries_every_group_has_acknowledged()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var stream = ConsumerFaults.NewStream();
        await redis.StreamCreateConsumerGroupAsync(stream, "fast", StreamPosition.Beginning, createStream: true);
        await redis.StreamCreateConsumerGroupAsync(stream, "slow", StreamPosition.Beginning);
        var ids = new List<RedisValue>();
        for (var i = 0; i < 300; i++) ids.Add(await redis.StreamAddAsync(stream, [new("payload", $"m{i}")]));
        // "fast" has read and acknowledged everything; "slow" has read 200, acknowledged 150, and not yet seen the last 100.
        await redis.StreamReadGroupAsync(stream, "fast", "c", StreamPosition.NewMessages, 300);
        await redis.StreamAcknowledgeAsync(stream, "fast", [.. ids]);
        await redis.StreamReadGroupAsync(stream, "slow", "c", StreamPosition.NewMessages, 200);
        await redis.StreamAcknowledgeAsync(stream, "slow", [.. ids.Take(150)]);

        var trimmer = new StreamTrimmer(new SlowHandler(stream, TimeSpan.Zero), services.GetRequiredService<IConnectionMultiplexer>(),
            Microsoft.Extensions.Options.Options.Create(new StreamOptions()), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<StreamTrimmer>.Instance);
        await trimmer.TrimAsync(stream);

        var left = (await redis.StreamRangeAsync(stream)).Select(e => e.Id).ToHashSet();
        Assert.All(ids.Skip(150), id => Assert.Contains(id, left));
        Assert.True(left.Count < 300, $"acknowledged entries should be trimmed; {left.Count} left");
    }

    [Fact]
    public async Task A_stream_with_no_group_yet_is_never_trimmed()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var stream = ConsumerFaults.NewStream();
        for (var i = 0; i < 50; i++) await redis.StreamAddAsync(stream, [new("payload", $"m{i}")]);

        Assert.Null(await StreamTrimmer.OldestNeededAsync(redis, stream));
        Assert.Equal(50, await redis.StreamLengthAsync(stream));
    }
}
