using Khaacho.Tests.Hosting;
using Khaacho.Worker.Maintenance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Khaacho.Tests.Pipeline;

[Collection(AppCollection.Name)]
public sealed class PartitionMaintenanceTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task As_the_clock_moves_on_the_next_months_partitions_appear_once()
    {
        var later = DateTimeOffset.UtcNow.AddMonths(5);
        var clock = new FakeTimeProvider(later);
        await using var services = await InProcessServices.CreateAsync(fixture, clock);
        var maintenance = new PartitionMaintenance(services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new PartitionMaintenanceOptions()), clock, NullLogger<PartitionMaintenance>.Instance);

        var first = await maintenance.RunAsync(CancellationToken.None);
        var second = await maintenance.RunAsync(CancellationToken.None);

        Assert.True(first.Ran);
        Assert.True(first.Created > 0);
        Assert.Equal(0, second.Created);
        Assert.Equal(3, second.MonthsAhead);
        var expected = Enumerable.Range(0, 4).Select(i => later.AddMonths(i)).SelectMany(m => new[] { "orders", "order_items", "order_status_history" }
            .Select(t => $"{t}_y{m:yyyy}m{m:MM}")).ToList();
        var existing = await fixture.ColumnAsync<string>("SELECT relname::text FROM pg_class WHERE relname = ANY(@names)", ("names", expected.ToArray()));
        Assert.Equal(expected.Order(), existing.Order());
        Assert.Empty(first.Archived);
    }
}
