using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.WhatsApp;

/// <summary>
/// Read-backs nobody answered: past <see cref="WhatsAppOptions.ReadBackExpiry"/> the draft is dropped and the retailer
/// told nothing was placed, in one transaction per batch (rows locked with SKIP LOCKED, so two workers share the work).
/// </summary>
public sealed partial class ReadBackExpiry(
    IServiceScopeFactory scopes, OutboxPublisher publisher, ChatTexts texts, IOptions<WhatsAppOptions> options, TimeProvider clock, ILogger<ReadBackExpiry> logger)
    : BackgroundService
{
    private const int BatchSize = 100;

    /// <summary>Often enough that a read-back is told it expired within a tenth of its lifetime, at most every 30 s.</summary>
    private TimeSpan Interval => TimeSpan.FromTicks(Math.Min(options.Value.ReadBackExpiry.Ticks / 10, TimeSpan.FromSeconds(30).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await ExpireBatchAsync(stoppingToken) == BatchSize) { }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    public async Task<int> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = await db.Conversations.FromSql($"""
            SELECT * FROM conversations WHERE draft IS NOT NULL AND draft_expires_at < {now} ORDER BY draft_expires_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        if (expired.Count == 0) return 0;
        var minutes = (int)options.Value.ReadBackExpiry.TotalMinutes;
        foreach (var conversation in expired)
        {
            conversation.Draft = null;
            conversation.DraftExpiresAt = null;
            conversation.UpdatedAt = now;
            var (kind, id) = await RecipientAsync(db, conversation.Phone, cancellationToken);
            Outbox.Reply(db, new ChatRecipient(conversation.Phone, kind, id), "read_back_expired", texts.Get(conversation.Language, "expired", minutes), now);
        }
        var queued = OutboxPublisher.Queued(db);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await publisher.TryPublishAllAsync(queued);
        LogExpired(logger, expired.Count);
        return expired.Count;
    }

    private static async Task<(RecipientKind, Guid)> RecipientAsync(KhaachoDbContext db, string phone, CancellationToken cancellationToken) =>
        await db.Retailers.Where(r => r.Phone == phone).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken) is { } id
            ? (RecipientKind.Retailer, id)
            : (RecipientKind.Contact, Guid.Empty);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} unanswered read-backs expired; their retailers were told")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring read-backs failed; trying again next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
