using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Microsoft.Extensions.Options;

namespace Khaacho.Core.Credit;

/// <summary>Tells a retailer when an order takes it over the warning share of its limit (once per crossing, not per order).</summary>
public sealed class CreditWarnings(IOptions<CreditOptions> options)
{
    public void WarnIfNearLimit(KhaachoDbContext db, Order order, CreditBalances after, decimal reserved, DateTimeOffset now)
    {
        var threshold = options.Value.WarningShare;
        if (after.CreditLimit <= 0 || after.UsedShare < threshold) return;
        var before = (after.Outstanding + after.Reserved - reserved) / after.CreditLimit;
        if (before >= threshold) return;
        Outbox.Notify(db, order, RecipientKind.Retailer, order.RetailerId, "credit_warning",
            $"You have used {Math.Floor(after.UsedShare * 100):0}% of your credit limit {Money.Format(after.CreditLimit)}; {Money.Format(after.AvailableCredit)} is left. A payment restores it.", now);
    }
}
