using System.Globalization;
using Khaacho.Core.Identity;
using Khaacho.Tests.Hosting;
using Khaacho.Tests.Reliability;
using Microsoft.AspNetCore.Identity;

namespace Khaacho.Tests.Review;

/// <summary>Orders the review queue holds: a real risk-flagged order from a retailer of its own, or one written straight into the queue.</summary>
internal static class ReviewOrders
{
    public const string Product = "SOYA-CHUNKS-200G";
    public const int Quantity = 1_500;
    /// <summary>MRP 65 × 1,500: what the risk score weighs and the queue shows.</summary>
    public const decimal Estimate = 97_500m;
    public const decimal CreditLimit = 150_000m;

    /// <summary>
    /// 1,500 packets from a retailer created today with no orders yet: new retailer (10) + a first order over half its
    /// credit limit (30) + a quantity over 1,000 (40) = 80, at or above the threshold of 70, however the other tests ran.
    /// The vendor price with VAT (at most 60 × 1,500 × 1.13 = 101,700) fits the limit, so an approved order confirms.
    /// </summary>
    public static string FlaggedOrderBody => $$"""{"items":[{"productCode":"{{Product}}","quantity":{{Quantity}}}]}""";

    /// <summary>A retailer and its login, both new, so its risk score depends on nothing another test did.</summary>
    public static async Task<(string Phone, Guid RetailerId)> NewRetailerAsync(KhaachoAppFixture fixture)
    {
        var phone = "+977" + Random.Shared.NextInt64(9_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);
        var retailerId = Guid.CreateVersion7();
        await fixture.ExecuteAsync("""
            INSERT INTO retailers (id, code, shop_name, phone, city, province, credit_limit, available_credit, outstanding, is_active, created_at)
            VALUES (@id, @code, 'Review test pasal', @phone, 'Kathmandu', 'Bagmati', @limit, @limit, 0, true, now())
            """, ("id", retailerId), ("code", "RV" + phone[^9..]), ("phone", phone), ("limit", CreditLimit));
        var user = new User { Phone = phone, DisplayName = "Review test", PasswordHash = "", Role = UserRole.Retailer, RetailerId = retailerId };
        await fixture.ExecuteAsync("""
            INSERT INTO users (id, phone, display_name, password_hash, role, retailer_id, created_at)
            VALUES (@id, @phone, 'Review test', @hash, 'retailer', @retailer, now())
            """, ("id", user.Id), ("phone", phone), ("hash", new PasswordHasher<User>().HashPassword(user, ApiClient.DemoPassword)), ("retailer", retailerId));
        return (phone, retailerId);
    }

    /// <summary>Enough unreserved stock at one vendor for an approved flagged order to confirm.</summary>
    public static Task StockUpAsync(KhaachoAppFixture fixture) => fixture.ExecuteAsync("""
        UPDATE vendor_products vp SET stock = vp.reserved + 5000
        FROM vendors v, products p WHERE v.id = vp.vendor_id AND p.id = vp.product_id AND p.code = @code AND v.code = 'V002'
        """, ("code", Product));

    /// <summary>An order already in the queue (R008's, two packets of moong dal): held <paramref name="waited"/> ago, its deadline <paramref name="deadlineIn"/> from now.</summary>
    public static async Task<Guid> InsertWaitingAsync(KhaachoAppFixture fixture, TimeSpan? waited = null, TimeSpan? deadlineIn = null)
    {
        var (orderId, _) = await StalledOrder.InsertAsync(fixture, "awaiting_review", redrives: 0, age: waited ?? TimeSpan.FromMinutes(30));
        await fixture.ExecuteAsync("""
            UPDATE orders SET awaiting_review_at = updated_at, review_deadline = now() + @deadline, risk_score = 80,
                risk_reasons = ARRAY['new retailer', 'a quantity over 1,000']
            WHERE id = @o
            """, ("o", orderId), ("deadline", deadlineIn ?? TimeSpan.FromHours(24)));
        return orderId;
    }

    public static Task<string> StatusAsync(KhaachoAppFixture fixture, Guid orderId) =>
        fixture.ScalarAsync<string>("SELECT status FROM orders WHERE id = @o", ("o", orderId));
}
