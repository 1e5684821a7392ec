using Khaacho.Core.Ai;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Khaacho.Core.Data;

internal sealed class AiCallConfiguration : IEntityTypeConfiguration<AiCall>
{
    public void Configure(EntityTypeBuilder<AiCall> call)
    {
        call.ToTable("ai_calls");
        call.HasIndex(c => c.CreatedAt);
        call.HasIndex(c => c.OrderId);
        call.Property(c => c.Provider).HasMaxLength(32);
        call.Property(c => c.Model).HasMaxLength(100);
        call.Property(c => c.Outcome).HasMaxLength(32);
        call.Property(c => c.CostUsd).HasPrecision(12, 6);
        call.Property(c => c.Error).HasMaxLength(500);
    }
}
