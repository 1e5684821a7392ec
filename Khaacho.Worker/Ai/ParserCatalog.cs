using Khaacho.Core.Data;
using Khaacho.Core.Parsing;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Worker.Ai;

/// <summary>An offline parser over the active catalogue, rebuilt when older than <see cref="MaxAge"/>, so new aliases are used within a minute.</summary>
public sealed class ParserCatalog(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim rebuilding = new(1, 1);
    private volatile Built? current;

    private sealed record Built(OfflineOrderParser Parser, DateTimeOffset At);

    public async ValueTask<OfflineOrderParser> ParserAsync(CancellationToken cancellationToken)
    {
        if (current is { } fresh && clock.GetUtcNow() - fresh.At < MaxAge) return fresh.Parser;
        await rebuilding.WaitAsync(cancellationToken);
        try
        {
            if (current is { } built && clock.GetUtcNow() - built.At < MaxAge) return built.Parser;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
            var products = await db.Products.AsNoTracking().Where(p => p.IsActive)
                .Select(p => new ParserProduct(p.Id, p.Code, p.Name, p.Unit, p.PackSize, p.Aliases)).ToListAsync(cancellationToken);
            var parser = new OfflineOrderParser(products);
            current = new Built(parser, clock.GetUtcNow());
            return parser;
        }
        finally
        {
            rebuilding.Release();
        }
    }
}
