using System.Text.Json;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Khaacho.Api.Admin;

public sealed record DeadLetter(string Id, string Stream, string OriginalId, string Payload, int Attempts, string Error, DateTimeOffset FirstSeenAt, DateTimeOffset DeadLetteredAt);

/// <summary>
/// Reads dead-letter streams and puts messages back on their stream with a fresh attempt count. An order that failed
/// only because its message ran out of attempts is brought back to received first, and a failed notification is owed
/// again, so the replay can finish it.
/// </summary>
public sealed partial class DeadLetterReplay(IConnectionMultiplexer redis, KhaachoDbContext db, OrderTransactions transactions, ILogger<DeadLetterReplay> logger)
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

        await ReviveAsync(letter, actor, cancellationToken);
        // Add then delete: a crash in between replays twice, which the idempotent handlers absorb; never zero times.
        await db.StreamAddAsync(stream,
        [
            new("payload", letter.Payload),
            new("traceparent", entries[0][DeadLetterFields.TraceParent]),
            new("attempt", 1),
        ]);
        await db.StreamDeleteAsync(Streams.DeadLetters(stream), [id]);
        LogReplayed(logger, stream, id, actor);
        return true;
    }

    /// <summary>What the dead letter's failure left behind is undone, so the replayed message can finish it.</summary>
    private async Task ReviveAsync(DeadLetter letter, string actor, CancellationToken cancellationToken)
    {
        if (letter.Stream == Streams.Notifications)
        {
            if (!TryRead(letter.Payload, NotificationMessage.FromJson, out var note)) return;
            // A failed notification is owed again; without this its delivery would skip it as already given up.
            await db.Notifications.Where(n => n.Id == note.NotificationId && n.Status == NotificationStatus.Failed)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Pending).SetProperty(n => n.LastError, (string?)null), cancellationToken);
            return;
        }
        if (!TryRead(letter.Payload, OrderMessage.FromJson, out var message)) return;
        await transactions.ChangeAsync("revive", message.OrderId, message.CreatedAt, (change, _) =>
        {
            if (change.Order is { Status: OrderStatus.Failed, FailureCode: OrderFailureCodes.DeadLettered })
                change.Db.OrderStatusHistory.Add(change.Order.ReviveForReplay(actor, change.Now));
            return Task.CompletedTask;
        }, cancellationToken);
    }

    private static bool TryRead<T>(string payload, Func<string, T> parse, out T value)
    {
        try
        {
            value = parse(payload);
            return true;
        }
        catch (JsonException)
        {
            value = default!;
            return false; // a payload no handler can read: replayed as is, and dead-lettered again with its reason
        }
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
