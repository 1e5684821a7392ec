using Khaacho.Core.Caching;
using Khaacho.Core.Data;
using Khaacho.Core.Parsing;
using Microsoft.EntityFrameworkCore;

using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Ai;

/// <summary>An offline parser over the active catalogue, rebuilt when older than <see cref="MaxAge"/>, so new aliases are used within a minute.</summary>
public sealed class ParserCatalog
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly IServiceScopeFactory scopes;
    private readonly RefreshingSnapshot<OfflineOrderParser> parser;

    public ParserCatalog(IServiceScopeFactory scopes, TimeProvider clock)
    {
        this.scopes = scopes;
        parser = new RefreshingSnapshot<OfflineOrderParser>(BuildAsync, MaxAge, clock);
    }

    public ValueTask<OfflineOrderParser> ParserAsync(CancellationToken cancellationToken) => parser.GetAsync(cancellationToken);

    private async Task<OfflineOrderParser> BuildAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        var products = await db.Products.AsNoTracking().Where(p => p.IsActive)
            .Select(p => new ParserProduct(p.Id, p.Code, p.Name, p.Unit, p.PackSize, p.Aliases)).ToListAsync(cancellationToken);
        return new OfflineOrderParser(products);
    }
}
