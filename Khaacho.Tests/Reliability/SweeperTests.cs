using Khaacho.Tests.Hosting;
using Khaacho.Worker.Sweeping;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Khaacho.Tests.Reliability;

/// <summary>
/// Issue 12, finding 2: PostgreSQL decides what has happened. Work whose Redis message was lost (a restart without its
/// data, FLUSHALL, a trimmed entry) is found in the database and finished by the running system.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SweeperTests(KhaachoAppFixture fixture)
{
    private static readonly SweeperOptions Fast = new() { StalledAfter = TimeSpan.FromSeconds(5), NotificationStalledAfter = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task An_accepted_order_whose_message_Redis_lost_is_driven_again_and_confirmed()
    {
        var (orderId, _) = await StalledOrder.InsertAsync(fixture, "received", redrives: 0);
        await using var services = await CreateAsync();

        var moved = await services.GetRequiredService<StalledOrders>().SweepAsync(CancellationToken.None);

        Assert.True(moved >= 1 || await StatusAsync(orderId) != "received", "the stalled order was not driven again");
        await Eventually.UntilAsync(async () => await StatusAsync(orderId) == "confirmed", 60, "the re-driven order confirmed");
        Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM credit_ledger WHERE order_id = @o AND kind = 'reserve'", ("o", orderId)));
        await fixture.AssertReservationsMatchOpenOrdersAsync();
    }

    [Fact]
    public async Task An_order_still_stalled_after_the_last_redrive_fails_with_a_reason_the_retailer_can_read()
    {
        var (orderId, _) = await StalledOrder.InsertAsync(fixture, "validated", redrives: 10);
        await using var services = await CreateAsync();

        await services.GetRequiredService<StalledOrders>().SweepAsync(CancellationToken.None);

        await Eventually.UntilAsync(async () => await StatusAsync(orderId) == "failed", 30, "the exhausted order failed");
        Assert.Equal("stalled", await fixture.ScalarAsync<string>("SELECT failure_code FROM orders WHERE id = @o", ("o", orderId)));
        Assert.Contains("support", await fixture.ScalarAsync<string>("SELECT failure_reason FROM orders WHERE id = @o", ("o", orderId)));
    }

    [Fact]
    public async Task An_order_that_moved_recently_is_left_alone()
    {
        var (orderId, _) = await StalledOrder.InsertAsync(fixture, "received", redrives: 0, age: TimeSpan.Zero);
        await using var services = await CreateAsync();

        await services.GetRequiredService<StalledOrders>().SweepAsync(CancellationToken.None);

        Assert.Equal(0, await fixture.ScalarAsync<int>("SELECT redrives FROM orders WHERE id = @o", ("o", orderId)));
    }

    [Fact]
    public async Task A_pending_notification_whose_message_Redis_lost_is_queued_again_and_delivered()
    {
        var (orderId, _) = await StalledOrder.InsertAsync(fixture, "accepted", redrives: 0, age: TimeSpan.Zero);
        var notificationId = Guid.CreateVersion7();
        await fixture.ExecuteAsync("""
            INSERT INTO notifications (id, recipient_kind, recipient_id, order_id, kind, message, status, created_at, queued_at)
            SELECT @n, 'retailer', retailer_id, id, 'order_accepted', 'lost in Redis', 'pending', now() - interval '10 minutes', now() - interval '10 minutes'
            FROM orders WHERE id = @o
            """, ("n", notificationId), ("o", orderId));
        await using var services = await CreateAsync();

        await services.GetRequiredService<StalledNotifications>().SweepAsync(CancellationToken.None);

        await Eventually.UntilAsync(() => fixture.WhatsApp.Received.Any(m => m.Body.TryGetProperty("biz_opaque_callback_data", out var id) && id.GetString() == notificationId.ToString()),
            60, "the lost notification delivered");
        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<string>("SELECT status FROM notifications WHERE id = @n", ("n", notificationId)) == "sent");
    }

    [Fact]
    public async Task A_notification_whose_delivery_died_while_sending_is_owed_again_and_delivered()
    {
        var (orderId, _) = await StalledOrder.InsertAsync(fixture, "accepted", redrives: 0, age: TimeSpan.Zero);
        var notificationId = Guid.CreateVersion7();
        await fixture.ExecuteAsync("""
            INSERT INTO notifications (id, recipient_kind, recipient_id, order_id, kind, message, status, created_at, queued_at)
            SELECT @n, 'retailer', retailer_id, id, 'order_accepted', 'claimed by a worker that was killed', 'sending', now() - interval '10 minutes', now() - interval '10 minutes'
            FROM orders WHERE id = @o
            """, ("n", notificationId), ("o", orderId));
        await using var services = await CreateAsync();

        await services.GetRequiredService<StalledNotifications>().SweepAsync(CancellationToken.None);

        await Eventually.UntilAsync(async () => await fixture.ScalarAsync<string>("SELECT status FROM notifications WHERE id = @n", ("n", notificationId)) == "sent",
            60, "the abandoned notification sent");
    }

    private Task<string> StatusAsync(Guid orderId) => fixture.ScalarAsync<string>("SELECT status FROM orders WHERE id = @o", ("o", orderId));

    private Task<Microsoft.Extensions.DependencyInjection.ServiceProvider> CreateAsync() => InProcessServices.CreateAsync(fixture, configure: services =>
    {
        services.AddSingleton(Options.Create(Fast));
        services.AddSingleton<StalledOrders>();
        services.AddSingleton<StalledNotifications>();
    });
}
