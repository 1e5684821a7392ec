using Npgsql;

namespace Khaacho.Tests.Hosting;

/// <summary>
/// An order written straight into the started app's database, in whatever state a test needs, without running the
/// pipeline. No items (so no stock or credit is held, and the reservation invariants keep holding), no acceptance
/// deadline (so no worker moves a confirmed row).
/// </summary>
public sealed record OrderRow(
    Guid RetailerId, Guid? VendorId, string Status, DateTimeOffset? ConfirmedAt = null, DateTimeOffset? RejectedAt = null,
    Guid[]? ExcludedVendorIds = null, string? Notes = null, string? RawText = null);

public static class OrderRows
{
    /// <returns>The order's id, a UUIDv7 whose timestamp is its created_at (as the api's id parsing expects).</returns>
    public static async Task<(Guid Id, DateTimeOffset CreatedAt)> InsertOrderAsync(this KhaachoAppFixture fixture, OrderRow row)
    {
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var id = Guid.CreateVersion7(createdAt);
        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO orders (id, created_at, retailer_id, vendor_id, status, source, raw_text, subtotal, vat, total, currency, notes,
                                priority, updated_at, confirmed_at, rejected_at, excluded_vendor_ids, redrives, version)
            VALUES (@id, @createdAt, @retailer, @vendor, @status, @source, @text, 100, 13, 113, 'NPR', @notes,
                    'normal', @createdAt, @confirmedAt, @rejectedAt, @excluded, 0, 1)
            """, connection);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("createdAt", createdAt);
        insert.Parameters.AddWithValue("retailer", row.RetailerId);
        insert.Parameters.AddWithValue("vendor", (object?)row.VendorId ?? DBNull.Value);
        insert.Parameters.AddWithValue("status", row.Status);
        insert.Parameters.AddWithValue("source", row.RawText is null ? "items" : "text");
        insert.Parameters.AddWithValue("text", (object?)row.RawText ?? DBNull.Value);
        insert.Parameters.AddWithValue("notes", (object?)row.Notes ?? DBNull.Value);
        insert.Parameters.AddWithValue("confirmedAt", (object?)row.ConfirmedAt ?? DBNull.Value);
        insert.Parameters.AddWithValue("rejectedAt", (object?)row.RejectedAt ?? DBNull.Value);
        insert.Parameters.AddWithValue("excluded", row.ExcludedVendorIds ?? []);
        await insert.ExecuteNonQueryAsync();
        return (id, createdAt);
    }

    /// <summary>A notification as the pipeline would have stored it (status sent, so the notifications worker leaves it alone).</summary>
    public static Task InsertNotificationAsync(this KhaachoAppFixture fixture, Guid orderId, string recipientKind, Guid recipientId, string kind) =>
        fixture.ExecuteAsync("""
            INSERT INTO notifications (id, recipient_kind, recipient_id, order_id, kind, message, status, created_at, sent_at)
            VALUES (@id, @recipientKind, @recipient, @order, @kind, 'arranged by a test', 'sent', now(), now())
            """, ("id", Guid.CreateVersion7()), ("recipientKind", recipientKind), ("recipient", recipientId), ("order", orderId), ("kind", kind));
}
