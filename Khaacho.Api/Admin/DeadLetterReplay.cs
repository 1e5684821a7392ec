using System.Text.Json;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Khaacho.Api.Admin;

public sealed record DeadLetter(string Id, string Stream, string OriginalId, string Payload, int Attempts, string Error, DateTimeOffset FirstSeenAt, DateTimeOffset DeadLetteredAt);

/// <summary>
/// Reads dead-letter streams and puts messages back on their stream with a fresh attempt count. An order that failed
/// only because its message ran out of attempts is brought back to received first, so the replay can finish it.
/// </summary>
public sealed partial class DeadLetterReplay(IConnectionMultiplexer redis, KhaachoDbContext db, TimeProvider clock, ILogger<DeadLetterReplay> logger)
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string stream, int limit)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(Streams.DeadLetters(stream), count: limit, messageOrder: StackExchange.Redis.Order.Descending);
        return [.. entries.Select(e => ToDeadLetter(stream, e))];
    }

    /// <returns>False when there is no such dead letter.</returns>
    public async Task<bool> ReplayAsync(string stream, string id, string actor, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var entries = await db.StreamRangeAsync(Streams.DeadLetters(stream), id, id);
        if (entries.Length == 0) return false;
        var letter = ToDeadLetter(stream, entries[0]);

        await ReviveOrderAsync(letter, actor, cancellationToken);
        // Add then delete: a crash in between replays twice, which the idempotent handlers absorb; never zero times.
        await db.StreamAddAsync(stream,
        [
            new("payload", letter.Payload),
            new("traceparent", entries[0][DeadLetterFields.TraceParent]),
            new("attempt", 1),
        ], maxLength: Streams.MaxLength, useApproximateMaxLength: true);
        await db.StreamDeleteAsync(Streams.DeadLetters(stream), [id]);
        LogReplayed(logger, stream, id, actor);
        return true;
    }

    private async Task ReviveOrderAsync(DeadLetter letter, string actor, CancellationToken cancellationToken)
    {
        OrderMessage message;
        try { message = OrderMessage.FromJson(letter.Payload); }
        catch (JsonException) { return; } // not an order message (e.g. a notification): replay as is
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == message.OrderId && o.CreatedAt == message.CreatedAt, cancellationToken);
        if (order is not { Status: OrderStatus.Failed, FailureCode: OrderFailureCodes.DeadLettered }) return;
        db.OrderStatusHistory.Add(order.ReviveForReplay(actor, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static DeadLetter ToDeadLetter(string stream, StreamEntry entry) => new(
        entry.Id!,
        stream,
        entry[DeadLetterFields.OriginalId]!,
        entry[DeadLetterFields.Payload]!,
        (int)entry[DeadLetterFields.Attempts],
        entry[DeadLetterFields.Error]!,
        DateTimeOffset.FromUnixTimeMilliseconds((long)entry[DeadLetterFields.FirstSeenAt]),
        DateTimeOffset.FromUnixTimeMilliseconds((long)entry[DeadLetterFields.DeadLetteredAt]));

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed dead letter {DeadLetterId} onto {Stream} for {Actor}")]
    private static partial void LogReplayed(ILogger logger, string stream, string deadLetterId, string actor);
}
