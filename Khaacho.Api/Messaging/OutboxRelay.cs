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
}

/// <summary>
/// Publishes outbox rows that the request did not (Redis down, process killed between commit and publish, stream at its
/// capacity) and deletes every published row. Rows are locked with SKIP LOCKED, so several api replicas share the work;
/// publishing is claimed per row (<see cref="OutboxPublisher"/>), so a row published twice still reaches its stream once.
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
        Interlocked.Exchange(ref backlog, await db.Outbox.LongCountAsync(cancellationToken));
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
                SELECT * FROM outbox WHERE created_at < {now - options.Value.Grace}
                ORDER BY created_at LIMIT {options.Value.BatchSize} FOR UPDATE SKIP LOCKED
                """)
            .AsNoTracking().ToListAsync(cancellationToken);
        if (due.Count == 0) return 0;

        // All at once: StackExchange.Redis pipelines them, one round trip for the batch instead of one per row.
        var outcomes = await Task.WhenAll(due.Select(publisher.PublishAsync));
        var republished = outcomes.Count(o => o == PublishOutcome.Added);
        var done = due.Where((_, i) => outcomes[i] != PublishOutcome.StreamFull).Select(m => m.Id).ToArray();
        await db.Outbox.Where(m => done.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (republished > 0) LogRelayed(logger, republished, done.Length);
        // A full stream stops the pass: the rest waits here, in PostgreSQL, until the workers have made room.
        if (done.Length < due.Count) return 0;
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay published {Published} rows the fast path had missed ({Deleted} deleted)")]
    private static partial void LogRelayed(ILogger logger, int published, int deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay pass failed; retrying on the next tick")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}
