using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Khaacho.Api.Messaging;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often the relay looks for rows the fast path did not publish.</summary>
    public TimeSpan RelayInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Rows younger than this are left to the fast path, which is usually still publishing them.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(2);
    public int BatchSize { get; set; } = 500;
    /// <summary>Published rows are deleted after this long.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// Publishes outbox rows that the request did not (Redis down, process killed between commit and publish) and marks
/// every published row. Rows are locked with SKIP LOCKED, so several api replicas share the work; publishing is
/// idempotent (<see cref="OutboxPublisher"/>), so a row published twice still reaches its stream once.
/// </summary>
public sealed partial class OutboxRelay(IServiceScopeFactory scopes, OutboxPublisher publisher, IConnectionMultiplexer redis,
    IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxRelay> logger) : BackgroundService
{
    private static long backlog;

    static OutboxRelay() => KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.outbox.backlog", () => Interlocked.Read(ref backlog),
        description: "Outbox rows not yet published to their stream");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RelayInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SampleBacklogAsync(stoppingToken);
                if (!redis.IsConnected) continue;
                while (await RelayBatchAsync(stoppingToken) == options.Value.BatchSize) { }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRelayFailed(logger, ex);
            }
        }
    }

    /// <summary>Counts what waits in the outbox (the partial index makes it cheap) for the backlog gauge, even while Redis is down.</summary>
    private async Task SampleBacklogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        Interlocked.Exchange(ref backlog, await db.Outbox.LongCountAsync(m => m.PublishedAt == null, cancellationToken));
    }

    /// <returns>How many rows were relayed.</returns>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        // The connection's retrying strategy must own the transaction; a retry replays the whole pass.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(db, RelayAsync, cancellationToken);
    }

    private async Task<int> RelayAsync(KhaachoDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Outbox
            .FromSql($"""
                SELECT * FROM outbox WHERE published_at IS NULL AND created_at < {now - options.Value.Grace}
                ORDER BY created_at LIMIT {options.Value.BatchSize} FOR UPDATE SKIP LOCKED
                """)
            .AsNoTracking().ToListAsync(cancellationToken);
        if (due.Count == 0) return 0;

        // All at once: StackExchange.Redis pipelines them, one round trip for the batch instead of one per row.
        var outcomes = await Task.WhenAll(due.Select(publisher.PublishAsync));
        var republished = outcomes.Count(added => added);
        var ids = due.Select(m => m.Id).ToArray();
        await db.Outbox.Where(m => ids.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PublishedAt, now).SetProperty(m => m.PublishAttempts, m => m.PublishAttempts + 1), cancellationToken);
        await db.Outbox.Where(m => m.PublishedAt < now - options.Value.Retention).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (republished > 0) LogRelayed(logger, republished, due.Count);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay published {Published} rows the fast path had missed ({Marked} marked)")]
    private static partial void LogRelayed(ILogger logger, int published, int marked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay pass failed; retrying on the next tick")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}
