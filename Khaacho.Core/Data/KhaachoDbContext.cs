using Khaacho.Core.Ai;
using Khaacho.Core.Catalog;
using Khaacho.Core.Credit;
using Khaacho.Core.Identity;
using Khaacho.Core.Invoicing;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Khaacho.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Core.Data;

public sealed class KhaachoDbContext(DbContextOptions<KhaachoDbContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Vendor> Vendors => Set<Vendor>();
    public DbSet<VendorProduct> VendorProducts => Set<VendorProduct>();
    public DbSet<Retailer> Retailers => Set<Retailer>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderItem> OrderItems => Set<OrderItem>();
    public DbSet<OrderStatusChange> OrderStatusHistory => Set<OrderStatusChange>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<CreditLedgerEntry> CreditLedger => Set<CreditLedgerEntry>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<CreditChange> CreditChanges => Set<CreditChange>();
    public DbSet<CreditReminder> CreditReminders => Set<CreditReminder>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<AiCall> AiCalls => Set<AiCall>();
    public DbSet<InboxMessage> WhatsAppInbox => Set<InboxMessage>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<InvoiceCounter> InvoiceCounters => Set<InvoiceCounter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KhaachoDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<decimal>().HavePrecision(14, 2);
        configuration.Properties<OrderStatus>().HaveConversion<WireNameConverter<OrderStatus>>().HaveMaxLength(32);
        configuration.Properties<OrderSource>().HaveConversion<WireNameConverter<OrderSource>>().HaveMaxLength(16);
        configuration.Properties<OrderPriority>().HaveConversion<WireNameConverter<OrderPriority>>().HaveMaxLength(16);
        configuration.Properties<UserRole>().HaveConversion<WireNameConverter<UserRole>>().HaveMaxLength(16);
        configuration.Properties<CreditEntryKind>().HaveConversion<WireNameConverter<CreditEntryKind>>().HaveMaxLength(16);
        configuration.Properties<PaymentMethod>().HaveConversion<WireNameConverter<PaymentMethod>>().HaveMaxLength(16);
        configuration.Properties<CreditChangeKind>().HaveConversion<WireNameConverter<CreditChangeKind>>().HaveMaxLength(16);
        configuration.Properties<RecipientKind>().HaveConversion<WireNameConverter<RecipientKind>>().HaveMaxLength(16);
        configuration.Properties<InboxKind>().HaveConversion<WireNameConverter<InboxKind>>().HaveMaxLength(16);
        configuration.Properties<NotificationStatus>().HaveConversion<WireNameConverter<NotificationStatus>>().HaveMaxLength(16);
    }
}
