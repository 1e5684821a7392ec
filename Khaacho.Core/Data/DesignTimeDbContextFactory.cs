using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Khaacho.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the application.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<KhaachoDbContext>
{
    public KhaachoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<KhaachoDbContext>()
            .UseNpgsql("Host=localhost;Database=khaacho")
            .UseSnakeCaseNamingConvention()
            .Options);
}
