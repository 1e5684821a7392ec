using Khaacho.Core.Catalog;
using Khaacho.Core.Credit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Khaacho.Core.Data;

internal sealed class CreditLedgerEntryConfiguration : IEntityTypeConfiguration<CreditLedgerEntry>
{
    public void Configure(EntityTypeBuilder<CreditLedgerEntry> entry)
    {
        entry.ToTable("credit_ledger", t => t.HasCheckConstraint("ck_credit_ledger_amount", "amount = -(reserved_change + outstanding_change)"));
        entry.HasIndex(e => new { e.RetailerId, e.CreatedAt });
        entry.HasIndex(e => e.OrderId);
        // A payment is reversed at most once, whatever two operators click at the same moment.
        entry.HasIndex(e => e.PaymentId).IsUnique().HasFilter("kind = 'payment_reversal'").HasDatabaseName("ix_credit_ledger_one_reversal");
        entry.Property(e => e.Actor).HasMaxLength(80);
        entry.Property(e => e.Description).HasMaxLength(CreditLedgerEntry.MaxDescriptionLength);
        entry.Property(e => e.Reference).HasMaxLength(Payment.MaxReferenceLength);
        entry.HasOne<Retailer>().WithMany().HasForeignKey(e => e.RetailerId).OnDelete(DeleteBehavior.Restrict);
        entry.HasOne<Payment>().WithMany().HasForeignKey(e => e.PaymentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("payments", t => t.HasCheckConstraint("ck_payments_amount", "amount > 0"));
        payment.HasIndex(p => new { p.RetailerId, p.Reference }).IsUnique();
        payment.Property(p => p.Reference).HasMaxLength(Payment.MaxReferenceLength);
        payment.Property(p => p.Note).HasMaxLength(Payment.MaxNoteLength);
        payment.Property(p => p.RecordedBy).HasMaxLength(80);
        payment.HasOne<Retailer>().WithMany().HasForeignKey(p => p.RetailerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CreditChangeConfiguration : IEntityTypeConfiguration<CreditChange>
{
    public void Configure(EntityTypeBuilder<CreditChange> change)
    {
        change.ToTable("credit_changes");
        change.HasIndex(c => new { c.RetailerId, c.At });
        change.Property(c => c.Before).HasMaxLength(200);
        change.Property(c => c.After).HasMaxLength(200);
        change.Property(c => c.Reason).HasMaxLength(CreditChange.MaxReasonLength);
        change.Property(c => c.Actor).HasMaxLength(80);
        change.HasOne<Retailer>().WithMany().HasForeignKey(c => c.RetailerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CreditReminderConfiguration : IEntityTypeConfiguration<CreditReminder>
{
    public void Configure(EntityTypeBuilder<CreditReminder> reminder)
    {
        reminder.ToTable("credit_reminders");
        reminder.HasKey(r => new { r.RetailerId, r.Day });
        reminder.HasOne<Retailer>().WithMany().HasForeignKey(r => r.RetailerId).OnDelete(DeleteBehavior.Cascade);
    }
}
