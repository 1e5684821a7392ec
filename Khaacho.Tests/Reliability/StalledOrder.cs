using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Reliability;

/// <summary>An order as Redis would leave it after losing its message: in the database, in a pipeline state, with nothing on any stream.</summary>
internal static class StalledOrder
{
    public static async Task<(Guid Id, DateTimeOffset CreatedAt)> InsertAsync(KhaachoAppFixture fixture, string status, int redrives, TimeSpan? age = null)
    {
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var orderId = Guid.CreateVersion7(createdAt);
        var updatedAt = createdAt - (age ?? TimeSpan.FromMinutes(30));
        await fixture.ExecuteAsync("""
            INSERT INTO orders (id, created_at, retailer_id, status, source, subtotal, vat, total, currency, priority, updated_at, redrives, version)
            SELECT @id, @at, id, @status, 'items', 0, 0, 0, 'NPR', 'normal', @updated, @redrives, 0 FROM retailers WHERE code = 'R008';
            INSERT INTO order_items (id, created_at, order_id, product_id, quantity, unit_price, line_total)
            SELECT @item, @at, @id, id, 2, 0, 0 FROM products WHERE code = 'DAL-MOONG-1KG';
            INSERT INTO order_status_history (id, created_at, order_id, to_status, actor, at) VALUES (@history, @at, @id, 'received', 'test', @at);
            """, ("id", orderId), ("at", createdAt), ("status", status), ("updated", updatedAt), ("redrives", redrives),
            ("item", Guid.CreateVersion7(createdAt)), ("history", Guid.CreateVersion7(createdAt)));
        return (orderId, createdAt);
    }
}
