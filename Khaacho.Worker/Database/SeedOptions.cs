namespace Khaacho.Worker.Database;

public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>
    /// Seed the demo catalogue: products, the fictitious vendors with their offers, and the fictitious retailers. Off by
    /// default; the AppHost turns it on only when it runs the system locally, never in a published manifest, so a real
    /// deployment never routes an order to a demo vendor.
    /// </summary>
    public bool DemoData { get; set; }

    /// <summary>
    /// With <see cref="DemoData"/>, also the demo logins (every retailer and vendor by phone, and the admin, with the
    /// catalogue's demo password). Off by default, and set by the AppHost only locally, like <see cref="DemoData"/>.
    /// </summary>
    public bool DemoLogins { get; set; }
}
