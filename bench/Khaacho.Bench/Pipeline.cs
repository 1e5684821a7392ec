using HdrHistogram;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Npgsql;
using StackExchange.Redis;

namespace Khaacho.Bench;

/// <summary>What is still waiting anywhere in the pipeline: stream entries not yet delivered or acknowledged, retries, unpublished outbox rows.</summary>
public sealed record Backlog(long StreamLag, long StreamPending, long Retries, long DeadLetters, long UnpublishedOutbox)
{
    public bool IsEmpty => StreamLag == 0 && StreamPending == 0 && Retries == 0 && UnpublishedOutbox == 0;
}

/// <summary>Reads the pipeline's state from PostgreSQL and Redis, the system's own records.</summary>
internal sealed class Pipeline(NpgsqlDataSource database, IConnectionMultiplexer redis) : IAsyncDisposable
{
    private static readonly string[] Unsettled =
        [.. new[] { OrderStatus.Received, OrderStatus.Parsing, OrderStatus.Parsed, OrderStatus.Validated }.Select(s => s.ToWire())];

    public static async Task<Pipeline> ConnectAsync(string postgres, string redis) =>
        new(NpgsqlDataSource.Create(postgres), await ConnectionMultiplexer.ConnectAsync(redis));

    public NpgsqlDataSource Database => database;

    /// <summary>Credit and stock so large that no order of the benchmark fails for lack of them.</summary>
    public async Task RaiseCreditAndStockAsync()
    {
        await using var command = database.CreateCommand("""
            UPDATE retailers SET credit_limit = 900000000000, available_credit = 900000000000 - outstanding;
            UPDATE vendor_products SET stock = 1000000000;
            """);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<Backlog> BacklogAsync()
    {
        var db = redis.GetDatabase();
        long lag = 0, pending = 0, retries = 0, dead = 0;
        foreach (var stream in Streams.All)
        {
            if (!await db.KeyExistsAsync(stream)) continue;
            var group = (await db.StreamGroupInfoAsync(stream)).FirstOrDefault(g => g.Name == Streams.Group(stream));
            lag += group.Lag ?? 0;
            pending += group.PendingMessageCount;
            retries += await db.SortedSetLengthAsync(Streams.RetrySet(stream));
            dead += await db.StreamLengthAsync(Streams.DeadLetters(stream));
        }
        await using var command = database.CreateCommand("SELECT count(*) FROM outbox");
        var unpublished = (long)(await command.ExecuteScalarAsync())!;
        return new Backlog(lag, pending, retries, dead, unpublished);
    }

    /// <summary>Moves every consumer group of a stream past what it holds now: the intake-only scenario's orders are never processed.</summary>
    public async Task SkipStreamAsync(string stream)
    {
        var db = redis.GetDatabase();
        if (!await db.KeyExistsAsync(stream)) return;
        foreach (var group in await db.StreamGroupInfoAsync(stream))
        {
            await db.ExecuteAsync("XGROUP", "SETID", stream, group.Name, "$");
        }
    }

    /// <summary>How many of these orders have not reached a settled state (confirmed, failed, needs clarification, ...).</summary>
    public async Task<long> UnsettledAsync(IReadOnlyList<Guid> orderIds)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM orders WHERE id = ANY($1) AND status = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = orderIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = Unsettled });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<IReadOnlyDictionary<string, long>> StatusCountsAsync(IReadOnlyList<Guid> orderIds)
    {
        await using var command = database.CreateCommand("SELECT status, count(*) FROM orders WHERE id = ANY($1) GROUP BY status ORDER BY status");
        command.Parameters.Add(new NpgsqlParameter { Value = orderIds.ToArray() });
        var counts = new SortedDictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    /// <summary>Accepted-to-confirmed latency from the database's own timestamps: confirmed_at - created_at.</summary>
    public async Task<LongHistogram> AcceptedToConfirmedAsync(IReadOnlyList<Guid> orderIds)
    {
        var histogram = new LongHistogram(3_600_000_000L /* 1 h in µs */, 3);
        await using var command = database.CreateCommand(
            "SELECT (extract(epoch FROM confirmed_at - created_at) * 1000000)::bigint FROM orders WHERE id = ANY($1) AND confirmed_at IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = orderIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) histogram.RecordValue(Math.Max(1, reader.GetInt64(0)));
        return histogram;
    }

    /// <summary>How many of these inbox rows (by message id) are not handled yet.</summary>
    public async Task<long> UnhandledInboxAsync(IReadOnlyList<string> messageIds)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM whatsapp_inbox WHERE id = ANY($1) AND processed_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = messageIds.ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Each message's read-back, found by its Confirm button (<c>confirm:&lt;read-back key of the message id&gt;</c>) in the
    /// notification's content: inbox <c>received_at</c> to the notification's <c>sent_at</c>, for those sent.
    /// </summary>
    public async Task<LongHistogram> StoredToReadBackSentAsync(IReadOnlyList<string> messageIds, IReadOnlyList<string> confirmButtonIds, DateTimeOffset since)
    {
        var histogram = new LongHistogram(3_600_000_000L /* 1 h in µs */, 3);
        await using var command = database.CreateCommand("""
            SELECT (extract(epoch FROM n.sent_at - i.received_at) * 1000000)::bigint
            FROM unnest($1::text[], $2::text[]) AS m(id, button)
            JOIN whatsapp_inbox i ON i.id = m.id
            JOIN notifications n ON n.kind = 'read_back' AND n.created_at >= $3 AND n.content -> 'buttons' -> 0 ->> 'id' = m.button
            WHERE n.sent_at IS NOT NULL
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = messageIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = confirmButtonIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) histogram.RecordValue(Math.Max(1, reader.GetInt64(0)));
        return histogram;
    }

    /// <summary>Chat replies (notifications to a phone, about no order) written since then, by kind.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ChatRepliesSinceAsync(DateTimeOffset since)
    {
        await using var command = database.CreateCommand(
            "SELECT kind, count(*) FROM notifications WHERE created_at >= $1 AND recipient_phone IS NOT NULL AND order_id IS NULL GROUP BY kind ORDER BY kind");
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        var counts = new SortedDictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        await redis.DisposeAsync();
    }
}
