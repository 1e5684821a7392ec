using Khaacho.Core.Data;
using Khaacho.Core.Orders;
using Khaacho.Core.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Khaacho.Worker.Orders;

/// <summary>
/// Orders nobody reviewed before their deadline fail as <c>review_expired</c>, and the retailer is told. Each expiry is
/// an <see cref="OrderReviews"/> step on the locked order that checks its state again, so a decision in the same
/// instant and several replicas are safe. Each pass also measures the queue for the <c>khaacho.review.*</c> gauges.
/// </summary>
public sealed partial class ReviewDeadlines(
    IServiceScopeFactory scopes, OrderReviews reviews, IOptions<OrderProcessingOptions> options, TimeProvider clock, ILogger<ReviewDeadlines> logger)
    : BackgroundService
{
    private const int BatchSize = 100;
    private static long waiting;
    private static double oldestAgeSeconds;

    static ReviewDeadlines()
    {
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.review.waiting", () => Interlocked.Read(ref waiting),
            description: "Orders awaiting review, as of the last pass of the review deadline job");
        KhaachoTelemetry.Meter.CreateObservableGauge("khaacho.review.oldest.age", () => Volatile.Read(ref oldestAgeSeconds), unit: "s",
            description: "How long the oldest order awaiting review has waited (0 when none waits)");
    }

    public sealed record Pass(int Expired, long Waiting, TimeSpan OldestAge);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DeadlineCheckInterval, clock);
        do
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<Pass> RunAsync(CancellationToken cancellationToken)
    {
        var expired = 0;
        bool more;
        do
        {
            var batch = await DueAsync(cancellationToken);
            var before = expired;
            foreach (var (id, createdAt) in batch)
            {
                if (await reviews.ExpireAsync(id, createdAt, cancellationToken)) expired++;
            }
            // A full batch may have more behind it; one that expired nothing would only be read again.
            more = batch.Count == BatchSize && expired > before;
        }
        while (more);
        return await MeasureAsync(expired, cancellationToken);
    }

    private async Task<List<(Guid Id, DateTimeOffset CreatedAt)>> DueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var now = clock.GetUtcNow();
        var rows = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.AwaitingReview && o.ReviewDeadline < now)
            .OrderBy(o => o.ReviewDeadline).Take(BatchSize).Select(o => new { o.Id, o.CreatedAt }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.CreatedAt))];
    }

    private async Task<Pass> MeasureAsync(int expired, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var queue = db.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.AwaitingReview);
        var count = await queue.LongCountAsync(cancellationToken);
        var oldest = await queue.MinAsync(o => o.AwaitingReviewAt, cancellationToken);
        var age = oldest is { } since && clock.GetUtcNow() > since ? clock.GetUtcNow() - since : TimeSpan.Zero;
        Interlocked.Exchange(ref waiting, count);
        Volatile.Write(ref oldestAgeSeconds, age.TotalSeconds);
        return new Pass(expired, count, age);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking review deadlines failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
