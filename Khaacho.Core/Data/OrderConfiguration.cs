using Khaacho.Core.Catalog;
using Khaacho.Core.Credit;
using Khaacho.Core.Messaging;
using Khaacho.Core.Notifications;
using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Khaacho.Core.Data;

// orders, order_items and order_status_history are partitioned by month on created_at; the
// migration creates them with raw SQL (EF cannot say PARTITION BY), so keys here include created_at.

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.HasKey(o => new { o.Id, o.CreatedAt });
        order.Property(o => o.OrderNumber).HasMaxLength(32).HasDefaultValueSql("khaacho_next_order_number()");
        order.Property(o => o.Currency).HasMaxLength(3);
        order.Property(o => o.RawText).HasMaxLength(4096);
        order.Property(o => o.Notes).HasMaxLength(1000);
        order.Property(o => o.FailureCode).HasMaxLength(64);
        order.Property(o => o.Version).IsConcurrencyToken();
        order.HasIndex(o => o.OrderNumber);
        order.HasIndex(o => new { o.RetailerId, o.CreatedAt, o.Id }).IsDescending(false, true, true);
        order.HasIndex(o => new { o.VendorId, o.CreatedAt, o.Id }).IsDescending(false, true, true);
        order.HasIndex(o => new { o.Status, o.CreatedAt });
        order.HasIndex(o => o.AcceptanceDeadline).HasFilter("status = 'confirmed'");
        order.Property(o => o.ReviewedBy).HasMaxLength(64);
        // The review queue, its expiry job and its gauge read only orders awaiting review: a small index.
        order.HasIndex(o => new { o.AwaitingReviewAt, o.Id }).HasFilter("status = 'awaiting_review'").HasDatabaseName("ix_orders_awaiting_review");
        // The sweeper's look for orders whose message Redis may have lost: small, as it holds only orders in flight.
        order.HasIndex(o => o.UpdatedAt).HasFilter(OrderStateMachine.InPipelineSqlFilter).HasDatabaseName("ix_orders_in_pipeline");
        order.HasOne<Retailer>().WithMany().HasForeignKey(o => o.RetailerId).OnDelete(DeleteBehavior.Restrict);
        order.HasOne<Vendor>().WithMany().HasForeignKey(o => o.VendorId);
        order.HasMany(o => o.Items).WithOne().HasForeignKey(i => new { i.OrderId, i.CreatedAt });
    }
}

internal sealed class OrderItemConfiguration : IEntityTypeConfiguration<OrderItem>
{
    public void Configure(EntityTypeBuilder<OrderItem> item)
    {
        item.ToTable("order_items", table => table.HasCheckConstraint("ck_order_items_quantity", "quantity > 0"));
        item.HasKey(i => new { i.Id, i.CreatedAt });
        item.Property(i => i.SourceText).HasMaxLength(500);
        item.HasIndex(i => new { i.OrderId, i.CreatedAt });
        item.HasOne<Product>().WithMany().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OrderStatusChangeConfiguration : IEntityTypeConfiguration<OrderStatusChange>
{
    public void Configure(EntityTypeBuilder<OrderStatusChange> change)
    {
        change.ToTable("order_status_history");
        change.HasKey(h => new { h.Id, h.CreatedAt });
        change.Property(h => h.Actor).HasMaxLength(64);
        change.Property(h => h.Reason).HasMaxLength(1000);
        change.HasIndex(h => new { h.OrderId, h.CreatedAt });
        change.HasOne<Order>().WithMany().HasForeignKey(h => new { h.OrderId, h.CreatedAt });
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_keys");
        record.HasKey(r => new { r.UserId, r.Key });
        record.Property(r => r.Key).HasMaxLength(255);
        record.Property(r => r.RequestHash).HasMaxLength(64);
        record.Property(r => r.ResponseBody).HasColumnType("jsonb");
        record.HasIndex(r => r.ExpiresAt);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.ToTable("outbox");
        message.Property(m => m.Id).UseIdentityAlwaysColumn();
        message.Property(m => m.Stream).HasMaxLength(64);
        message.Property(m => m.Payload).HasColumnType("jsonb");
        message.Property(m => m.TraceParent).HasMaxLength(64);
        // Published rows are deleted at once, so the table only holds what the relay may still have to publish.
        message.HasIndex(m => m.CreatedAt);
        // The sweeper's question "is this order's message still waiting here?" (then it was not lost).
        message.HasIndex(m => m.OrderId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.Property(n => n.Kind).HasMaxLength(64);
        notification.Property(n => n.Message).HasMaxLength(Notification.MaxMessageLength);
        notification.Property(n => n.ProviderMessageId).HasMaxLength(128);
        notification.Property(n => n.RecipientPhone).HasMaxLength(16);
        notification.Property(n => n.Content).HasColumnType("jsonb");
        notification.Property(n => n.ProviderStatus).HasMaxLength(16);
        // Delivery reports name the message by Meta's id.
        notification.HasIndex(n => n.ProviderMessageId).HasFilter("provider_message_id IS NOT NULL");
        // Each notification is stored once, by the change that causes it; delivery is by its id, so a replay sends nothing twice.
        notification.HasIndex(n => n.OrderId);
        notification.HasIndex(n => n.QueuedAt).HasFilter("status IN ('pending', 'sending')").HasDatabaseName("ix_notifications_pending");
        notification.HasIndex(n => new { n.RecipientKind, n.RecipientId, n.CreatedAt });
    }
}
