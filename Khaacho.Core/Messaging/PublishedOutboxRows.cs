using System.Threading.Channels;
using Khaacho.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Khaacho.Core.Messaging;

/// <summary>
/// Deletes published outbox rows in batches (one DELETE per batch, not one per publish), so the outbox only ever holds
/// what still has to be published and needs no retention scan. A batch lost to a crash or an unreachable database
/// loses nothing: the relay publishes those rows again, which their claim key (or the idempotent handlers) absorbs.
/// </summary>
public sealed partial class PublishedOutboxRows(IServiceScopeFactory scopes, ILogger<PublishedOutboxRows> logger) : BackgroundService
{
    private const int BatchSize = 1000;
    private readonly Channel<long> published = Channel.CreateBounded<long>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Delete(long outboxId) => published.Writer.TryWrite(outboxId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<long>(BatchSize);
        try
        {
            while (await published.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && published.Reader.TryRead(out var id)) batch.Add(id);
                await DeleteAsync(batch, stoppingToken);
                batch.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (batch.Count < BatchSize && published.Reader.TryRead(out var id)) batch.Add(id);
            await DeleteAsync(batch, CancellationToken.None);
        }
    }

    private async Task DeleteAsync(List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
            var array = ids.ToArray();
            await db.Outbox.Where(m => array.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDeleteFailed(logger, ids.Count, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Count} published outbox rows; the relay will see them again: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, int count, string reason);
}
