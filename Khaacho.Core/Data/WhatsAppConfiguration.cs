using Khaacho.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Khaacho.Core.Data;

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> inbox)
    {
        inbox.ToTable("whatsapp_inbox");
        inbox.Property(m => m.Id).HasMaxLength(256);
        inbox.Property(m => m.Phone).HasMaxLength(16);
        inbox.Property(m => m.Payload).HasMaxLength(InboxMessage.MaxPayloadLength);
        // The sweeper finds what was stored but never handled (Redis lost its stream entry).
        inbox.Property(m => m.Error).HasMaxLength(1000);
        inbox.HasIndex(m => m.QueuedAt).HasFilter("processed_at IS NULL").HasDatabaseName("ix_whatsapp_inbox_unprocessed");
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> conversation)
    {
        conversation.ToTable("conversations");
        conversation.HasKey(c => c.Phone);
        conversation.Property(c => c.Phone).HasMaxLength(16);
        conversation.Property(c => c.Language).HasMaxLength(8);
        conversation.Property(c => c.Draft).HasColumnType("jsonb");
        conversation.HasIndex(c => c.DraftExpiresAt).HasFilter("draft IS NOT NULL").HasDatabaseName("ix_conversations_draft_expiry");
    }
}
