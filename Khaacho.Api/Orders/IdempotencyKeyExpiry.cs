using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Orders;

/// <summary>
/// Deletes idempotency records past their 24-hour window, so the table stays small. Several api replicas may run it
/// at once; the delete is idempotent.
/// </summary>
public sealed partial class IdempotencyKeyExpiry(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyKeyExpiry> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
                var now = clock.GetUtcNow();
                var deleted = await db.IdempotencyKeys.Where(k => k.ExpiresAt < now).ExecuteDeleteAsync(stoppingToken);
                if (deleted > 0) LogDeleted(logger, deleted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired idempotency keys failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
