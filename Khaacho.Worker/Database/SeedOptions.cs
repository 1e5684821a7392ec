namespace Khaacho.Worker.Database;

public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>
    /// Seed the demo logins (every retailer and vendor by phone, and the admin, with the catalogue's demo password).
    /// Off by default; the AppHost turns it on only when it runs the system locally, never in a published manifest.
    /// </summary>
    public bool DemoLogins { get; set; }
}
