using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Khaacho.Tests.Reliability;

/// <summary>Issue 12, finding 8: a commit whose acknowledgement was lost is recognised, never applied twice nor answered as an error.</summary>
[Collection(AppCollection.Name)]
public sealed class CommitUnknownTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_plain_retried_insert_after_a_lost_commit_acknowledgement_hits_a_unique_violation_on_the_order_it_already_stored()
    {
        // What intake did before: SaveChanges under the retrying strategy replays the insert of a row that exists.
        var lost = new LostCommitAcknowledgement();
        await using var services = await InProcessServices.CreateAsync(fixture, configure: s => s.AddSingleton<IInterceptor>(lost));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KhaachoDbContext>();
        db.Orders.Add(await NewOrderAsync());
        lost.LoseNext();

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, Assert.IsType<Npgsql.PostgresException>(error.InnerException).SqlState);
    }

    [Fact]
    public async Task Receiving_an_order_whose_commit_acknowledgement_was_lost_stores_it_once_and_succeeds()
    {
        var lost = new LostCommitAcknowledgement();
        await using var services = await InProcessServices.CreateAsync(fixture, configure: s => s.AddSingleton<IInterceptor>(lost));
        var order = await NewOrderAsync();
        lost.LoseNext();

        await services.GetRequiredService<OrderTransactions>().ReceiveAsync(order, db =>
            Outbox.ForOrder(db, $"faults-{Guid.NewGuid():N}", order, "validate", order.CreatedAt), CancellationToken.None);

        Assert.True(lost.Fired);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM orders WHERE id = @o", ("o", order.Id)));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM order_items WHERE order_id = @o", ("o", order.Id)));
    }

    [Fact]
    public async Task A_state_change_whose_commit_acknowledgement_was_lost_is_reported_committed_and_applied_once()
    {
        var lost = new LostCommitAcknowledgement();
        await using var services = await InProcessServices.CreateAsync(fixture, configure: s => s.AddSingleton<IInterceptor>(lost));
        var transactions = services.GetRequiredService<OrderTransactions>();
        var order = await NewOrderAsync();
        await transactions.ReceiveAsync(order, _ => { }, CancellationToken.None);
        lost.LoseNext();
        var runs = 0;

        var result = await transactions.ChangeAsync("test", order.Id, order.CreatedAt, async (change, ct) =>
        {
            runs++;
            await OrderLifecycle.MoveAsync(change, OrderStatus.Cancelled, "test", "lost ack", ct);
        }, CancellationToken.None);

        Assert.True(lost.Fired);
        Assert.Equal(OrderChangeOutcome.Committed, result.Outcome);
        Assert.Equal(1, runs);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM order_status_history WHERE order_id = @o AND to_status = 'cancelled'", ("o", order.Id)));
    }

    private async Task<Order> NewOrderAsync()
    {
        var retailerId = await fixture.ScalarAsync<Guid>("SELECT id FROM retailers WHERE code = 'R010'");
        var productId = await fixture.ScalarAsync<Guid>("SELECT id FROM products WHERE code = 'SUGAR-1KG'");
        var order = Order.Receive(retailerId, OrderSource.Items, DateTimeOffset.UtcNow);
        order.Items.Add(new OrderItem { Id = Guid.CreateVersion7(), OrderId = order.Id, CreatedAt = order.CreatedAt, ProductId = productId, Quantity = 1 });
        return order;
    }
}
