using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Tests.Hosting;
using Khaacho.Worker.Streaming;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Khaacho.Tests.Reliability;

/// <summary>
/// Issue 12, findings 1 and 7: memory is bounded by refusing new entries at a stream's capacity (they wait in the
/// PostgreSQL outbox), never by trimming entries nobody has read; published rows leave the outbox at once.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StreamCapacityTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_stream_at_its_capacity_takes_no_more_entries_and_the_rest_wait_in_the_outbox_until_there_is_room()
    {
        await using var services = await InProcessServices.CreateAsync(fixture, settings: new Dictionary<string, string?> { ["Streams:Capacity"] = "3" });
        var publisher = services.GetRequiredService<OutboxPublisher>();
        var redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var stream = ConsumerFaults.NewStream();
        var rows = await InsertRowsAsync(services, stream, 5);

        var outcomes = new List<PublishOutcome>();
        foreach (var row in rows) outcomes.Add(await publisher.PublishAsync(row));

        Assert.Equal([PublishOutcome.Added, PublishOutcome.Added, PublishOutcome.Added, PublishOutcome.StreamFull, PublishOutcome.StreamFull], outcomes);
        Assert.Equal(3, await redis.StreamLengthAsync(stream));

        // The workers catch up: read, acknowledge, trim; now the deferred rows go.
        await redis.StreamCreateConsumerGroupAsync(stream, stream, StreamPosition.Beginning);
        var read = await redis.StreamReadGroupAsync(stream, stream, "c", StreamPosition.NewMessages, 10);
        await redis.StreamAcknowledgeAsync(stream, stream, [.. read.Select(e => e.Id)]);
        await redis.ExecuteAsync("XTRIM", stream, "MINID", (await StreamTrimmer.OldestNeededAsync(redis, stream))!);
        Assert.Equal(PublishOutcome.Added, await publisher.PublishAsync(rows[3]));
        Assert.Equal(PublishOutcome.Added, await publisher.PublishAsync(rows[4]));
        Assert.Equal(PublishOutcome.AlreadyPublished, await publisher.PublishAsync(rows[4]));
    }

    [Fact]
    public async Task A_published_row_is_deleted_from_the_outbox_without_waiting_for_the_relay()
    {
        await using var services = await InProcessServices.CreateAsync(fixture);
        var cleaner = services.GetRequiredService<PublishedOutboxRows>();
        await cleaner.StartAsync(CancellationToken.None);
        try
        {
            var rows = await InsertRowsAsync(services, ConsumerFaults.NewStream(), 3);
            foreach (var row in rows) await services.GetRequiredService<OutboxPublisher>().PublishAsync(row);
            var ids = rows.Select(r => r.Id).ToArray();

            await Eventually.UntilAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE id = ANY(@ids)", ("ids", ids)) == 0,
                10, "the published rows deleted");
        }
        finally
        {
            await cleaner.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<List<OutboxMessage>> InsertRowsAsync(IServiceProvider services, string stream, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        // Dated ahead, so the running api's relay leaves them to this test's publisher.
        var rows = Enumerable.Range(0, count)
            .Select(i => new OutboxMessage { Stream = stream, Payload = $$"""{"n":{{i}}}""", CreatedAt = DateTimeOffset.UtcNow.AddHours(1) }).ToList();
        db.Outbox.AddRange(rows);
        await db.SaveChangesAsync();
        return rows;
    }
}
