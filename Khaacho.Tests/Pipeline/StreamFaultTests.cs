using System.Collections.Concurrent;
using System.Net;
using Aspire.Hosting;
using Khaacho.Core.Credit;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Tests.Hosting;
using Khaacho.Worker.Orders;
using Khaacho.Worker.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StreamConsumer = Khaacho.Worker.Streaming.StreamConsumer;

namespace Khaacho.Tests.Pipeline;

/// <summary>The real <see cref="StreamConsumer"/> against the app's Redis, on a stream of the test's own, with handlers that fail on purpose.</summary>
[Collection(AppCollection.Name)]
public sealed class StreamFaultTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_handler_that_fails_three_times_is_retried_with_growing_delays_and_completes()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var handler = new FlakyHandler($"faults-{Guid.NewGuid():N}", failures: 3);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

        // A 1 s base: the nominal delays (1, 2, 4 s, ±20%) stay apart even with the retry mover's 200 ms tick on a busy machine.
        await using (await StartConsumerAsync(services, handler, maxAttempts: 5, retryBaseDelay: TimeSpan.FromSeconds(1)))
        {
            await redis.StreamAddAsync(handler.Stream, [new("payload", "{}")]);
            await WaitUntilAsync(() => handler.Succeeded);
        }

        Assert.Equal([1, 2, 3, 4], handler.Attempts.Select(a => a.Attempt));
        var gaps = handler.Attempts.Zip(handler.Attempts.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds).ToList();
        Assert.True(gaps[0] < gaps[1] && gaps[1] < gaps[2], $"delays should grow: {string.Join(", ", gaps.Select(g => $"{g:F0} ms"))}");
        Assert.True(gaps[0] >= 800 && gaps[1] >= 1600 && gaps[2] >= 3200, $"delays should follow 1, 2, 4 s: {string.Join(", ", gaps.Select(g => $"{g:F0} ms"))}");
        Assert.Equal(0, (await redis.StreamPendingAsync(handler.Stream, handler.Stream)).PendingMessageCount);
        Assert.Equal(0, await redis.StreamLengthAsync(Streams.DeadLetters(handler.Stream)));
    }

    [Fact]
    public async Task Retries_are_due_at_the_backoff_schedule_on_the_consumers_clock_and_wait_for_it()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await InProcessServices.CreateAsync(fixture);
        var handler = new FlakyHandler($"faults-{Guid.NewGuid():N}", failures: 10);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var consumer = new StreamConsumer(handler, services.GetRequiredService<IConnectionMultiplexer>(),
            Options.Create(new StreamOptions { MaxAttempts = 10, RetryBaseDelay = TimeSpan.FromSeconds(10), ClaimIdleTime = TimeSpan.FromHours(1) }),
            Options.Create(new StreamLimits()), clock, NullLogger<StreamConsumer>.Instance);
        await consumer.StartAsync(CancellationToken.None);
        try
        {
            await redis.StreamAddAsync(handler.Stream, [new("payload", "{}")]);
            foreach (var (attempt, nominal) in new[] { (1, 10.0), (2, 20.0), (3, 40.0) })
            {
                var scheduledAt = clock.GetUtcNow();
                await WaitUntilAsync(async () => await redis.SortedSetLengthAsync(Streams.RetrySet(handler.Stream)) == 1);
                var due = DateTimeOffset.FromUnixTimeMilliseconds((long)(await redis.SortedSetRangeByRankWithScoresAsync(Streams.RetrySet(handler.Stream)))[0].Score);
                // ±20% jitter, plus a second for the small steps the clock is moved by below.
                Assert.InRange((due - scheduledAt).TotalSeconds, nominal * 0.8 - 1, nominal * 1.2 + 1);

                // Nothing moves while the consumer's clock stands still, however long the test waits.
                await Task.Delay(500);
                Assert.Equal(attempt, handler.Attempts.Count);

                // Past the due time, in small steps: the consumer's idle polls and the retry mover both run on this clock.
                clock.Advance(due - clock.GetUtcNow());
                await WaitUntilAsync(() =>
                {
                    clock.Advance(TimeSpan.FromMilliseconds(50));
                    return handler.Attempts.Count == attempt + 1;
                });
            }
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
            consumer.Dispose();
        }
    }

    [Fact]
    public async Task Beyond_max_attempts_the_order_is_dead_lettered_and_failed_and_a_replay_completes_it()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var (orderId, createdAt) = await InsertReceivedOrderAsync();
        var pipeline = new OrderPipeline(services.GetRequiredService<OrderTransactions>(),
            new VendorCandidates(new VendorWorkload(services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System)),
            new CreditWarnings(Options.Create(new CreditOptions())), Options.Create(new OrderProcessingOptions()), Options.Create(new RoutingOptions()), TimeProvider.System,
            NullLogger<OrderPipeline>.Instance);
        var handler = new BrokenUntilFixed(pipeline, $"faults-{Guid.NewGuid():N}");

        await using (await StartConsumerAsync(services, handler, maxAttempts: 3))
        {
            await redis.StreamAddAsync(handler.Stream, [new("payload", new OrderMessage(orderId, createdAt, "validate").ToJson())]);
            await WaitUntilAsync(async () => await redis.StreamLengthAsync(Streams.DeadLetters(handler.Stream)) == 1);
            await WaitUntilAsync(async () => await StatusAsync(orderId) == "failed");

            var letter = (await redis.StreamRangeAsync(Streams.DeadLetters(handler.Stream)))[0];
            Assert.Equal(3, (int)letter[DeadLetterFields.Attempts]);
            Assert.Contains("injected failure", letter[DeadLetterFields.Error].ToString());
            Assert.Equal("dead_lettered", await fixture.ScalarAsync<string>("SELECT failure_code FROM orders WHERE id = @o", ("o", orderId)));

            handler.Fixed = true;
            using var admin = await fixture.LoginAsync("+9779800000001");
            using var replay = await admin.PostAsync($"/api/v1/admin/dead-letters/{letter.Id}/replay?stream={handler.Stream}", null);
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);

            await WaitUntilAsync(async () => await StatusAsync(orderId) == "confirmed");
        }
        Assert.Equal(0, await redis.StreamLengthAsync(Streams.DeadLetters(handler.Stream)));
        var history = await fixture.ColumnAsync<string>("SELECT to_status FROM order_status_history WHERE order_id = @o ORDER BY at, id", ("o", orderId));
        Assert.Equal(["received", "failed", "received", "validated", "confirmed"], history);
    }

    [Fact]
    public async Task The_dashboard_command_replays_the_orders_dead_letters_through_the_running_worker()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var (orderId, createdAt) = await InsertReceivedOrderAsync();
        // As the orders worker leaves an order whose message ran out of attempts.
        await fixture.ExecuteAsync("UPDATE orders SET status = 'failed', failure_code = 'dead_lettered', failed_at = now() WHERE id = @o", ("o", orderId));
        await redis.StreamAddAsync(Streams.DeadLetters(Streams.Orders),
        [
            new(DeadLetterFields.Stream, Streams.Orders), new(DeadLetterFields.OriginalId, "0-1"),
            new(DeadLetterFields.Payload, new OrderMessage(orderId, createdAt, "validate").ToJson()), new(DeadLetterFields.TraceParent, ""),
            new(DeadLetterFields.Attempts, 5), new(DeadLetterFields.Error, "database timed out"),
            new(DeadLetterFields.FirstSeenAt, createdAt.ToUnixTimeMilliseconds()), new(DeadLetterFields.DeadLetteredAt, createdAt.ToUnixTimeMilliseconds()),
        ]);

        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync("worker-orders", "replay-dead-letters");

        Assert.True(result.Success, result.Message);
        await WaitUntilAsync(async () => await StatusAsync(orderId) == "confirmed");
        Assert.Equal(0, await redis.StreamLengthAsync(Streams.DeadLetters(Streams.Orders)));
    }

    private async Task<(Guid, DateTimeOffset)> InsertReceivedOrderAsync()
    {
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var orderId = Guid.CreateVersion7(createdAt);
        await fixture.ExecuteAsync("""
            INSERT INTO orders (id, created_at, retailer_id, status, source, subtotal, vat, total, currency, priority, updated_at, redrives, version)
            SELECT @id, @at, id, 'received', 'items', 0, 0, 0, 'NPR', 'normal', @at, 0, 0 FROM retailers WHERE code = 'R009';
            INSERT INTO order_items (id, created_at, order_id, product_id, quantity, unit_price, line_total)
            SELECT @item, @at, @id, id, 3, 0, 0 FROM products WHERE code = 'DAL-MOONG-1KG';
            INSERT INTO order_status_history (id, created_at, order_id, to_status, actor, at) VALUES (@history, @at, @id, 'received', 'test', @at);
            """, ("id", orderId), ("at", createdAt), ("item", Guid.CreateVersion7(createdAt)), ("history", Guid.CreateVersion7(createdAt)));
        return (orderId, createdAt);
    }

    private Task<string> StatusAsync(Guid orderId) => fixture.ScalarAsync<string>("SELECT status FROM orders WHERE id = @o", ("o", orderId));

    private static async Task<IAsyncDisposable> StartConsumerAsync(IServiceProvider services, IStreamHandler handler, int maxAttempts, TimeSpan? retryBaseDelay = null)
    {
        var consumer = new StreamConsumer(handler, services.GetRequiredService<IConnectionMultiplexer>(),
            Options.Create(new StreamOptions { MaxAttempts = maxAttempts, RetryBaseDelay = retryBaseDelay ?? TimeSpan.FromMilliseconds(200), ClaimIdleTime = TimeSpan.FromMinutes(5) }),
            Options.Create(new StreamLimits()), TimeProvider.System, NullLogger<StreamConsumer>.Instance);
        await consumer.StartAsync(CancellationToken.None);
        return new Stopper(consumer);
    }

    private sealed class Stopper(StreamConsumer consumer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await consumer.StopAsync(CancellationToken.None);
            consumer.Dispose();
        }
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.UntilAsync(condition);

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.UntilAsync(condition);

    private sealed class FlakyHandler(string stream, int failures) : IStreamHandler
    {
        public string Stream => stream;
        public ConcurrentQueue<(int Attempt, DateTimeOffset At)> Attempts { get; } = new();
        public bool Succeeded { get; private set; }

        public Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
        {
            Attempts.Enqueue((message.Attempt, DateTimeOffset.UtcNow));
            if (Attempts.Count <= failures) throw new InvalidOperationException($"injected failure {Attempts.Count}");
            Succeeded = true;
            return Task.CompletedTask;
        }

        public Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The real order pipeline behind a switch that makes every attempt fail until the test flips it.</summary>
    private sealed class BrokenUntilFixed(OrderPipeline pipeline, string stream) : IStreamHandler
    {
        public string Stream => stream;
        public volatile bool Fixed;

        public Task HandleAsync(StreamMessage message, CancellationToken cancellationToken) =>
            Fixed ? pipeline.HandleAsync(message, cancellationToken) : throw new TimeoutException("injected failure: the database timed out");

        public Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken) =>
            pipeline.OnDeadLetteredAsync(message, error, cancellationToken);
    }
}
