using System.Globalization;
using Khaacho.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace Khaacho.Tests.Hosting;

/// <summary>A retailer of the test's own (in Kathmandu, with its login), so its credit is touched by nothing else.</summary>
public sealed record TestRetailer(Guid Id, string Phone, string Code);

public static class Accounts
{
    /// <param name="outstanding">What it already owes, as an opening ledger entry (the seed's way).</param>
    public static async Task<TestRetailer> NewRetailerAsync(this KhaachoAppFixture fixture, decimal creditLimit, decimal outstanding = 0, int termsDays = 30)
    {
        var phone = "+97798" + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var id = Guid.CreateVersion7();
        var code = "K" + phone[^8..];
        await fixture.ExecuteAsync("""
            INSERT INTO retailers (id, code, shop_name, phone, city, province, credit_limit, available_credit, outstanding, reserved, payment_terms_days, is_active, is_blocked, created_at)
            VALUES (@id, @code, @name, @phone, 'Kathmandu', 'Bagmati', @limit, @limit - @owed, @owed, 0, @terms, true, false, now() - interval '1 year')
            """, ("id", id), ("code", code), ("name", $"Khata test {code}"), ("phone", phone), ("limit", creditLimit), ("owed", outstanding), ("terms", termsDays));
        if (outstanding != 0)
            await fixture.ExecuteAsync("""
                INSERT INTO credit_ledger (id, retailer_id, kind, amount, reserved_change, outstanding_change, available_after, outstanding_after, actor, description, created_at)
                VALUES (gen_random_uuid(), @id, 'opening', -@owed, 0, @owed, @limit - @owed, @owed, 'test', 'Opening balance', now() - interval '1 year')
                """, ("id", id), ("owed", outstanding), ("limit", creditLimit));
        var user = new User { Phone = phone, DisplayName = code, PasswordHash = "", Role = UserRole.Retailer, RetailerId = id };
        await fixture.ExecuteAsync("""
            INSERT INTO users (id, phone, display_name, password_hash, role, retailer_id, created_at)
            VALUES (@id, @phone, @name, @hash, 'retailer', @retailer, now())
            """, ("id", user.Id), ("phone", phone), ("name", code), ("hash", new PasswordHasher<User>().HashPassword(user, ApiClient.DemoPassword)), ("retailer", id));
        return new TestRetailer(id, phone, code);
    }

    /// <summary>More of <paramref name="productCode"/> at every vendor, so a test's orders never find it sold out by another test.</summary>
    public static Task StockUpAsync(this KhaachoAppFixture fixture, string productCode, int units = 1000) => fixture.ExecuteAsync(
        "UPDATE vendor_products SET stock = stock + @units WHERE product_id = (SELECT id FROM products WHERE code = @code)",
        ("units", units), ("code", productCode));
}
