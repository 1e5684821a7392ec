using System.Text.Json;
using Khaacho.WhatsAppSandbox.Hosting;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Chat;

public sealed record DemoContact(string Phone, string Name, string Role, string? Code);

/// <summary>
/// The phones the page lists: every retailer and vendor of the demo catalogue the migrations seed, and one number
/// nobody has. The catalogue is read once, at start.
/// </summary>
public sealed class DemoContacts
{
    public DemoContacts(IOptions<SandboxOptions> options, IHostEnvironment environment)
    {
        var path = ResolvePath(options.Value.CatalogPath, environment.ContentRootPath);
        using var catalogue = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = catalogue.RootElement;
        All =
        [
            .. root.GetProperty("retailers").EnumerateArray().Select(r => Contact(r, "shopName", "retailer")),
            .. root.GetProperty("vendors").EnumerateArray().Select(v => Contact(v, "name", "vendor")),
            new DemoContact(options.Value.UnknownPhone, "Unknown number", "unknown", null),
        ];
    }

    public IReadOnlyList<DemoContact> All { get; }

    /// <summary>The name Meta would put in <c>contacts[].profile.name</c>.</summary>
    public string ProfileName(string phone) => All.FirstOrDefault(c => c.Phone == phone)?.Name ?? "Sandbox user";

    private static DemoContact Contact(JsonElement entry, string nameProperty, string role) =>
        new(entry.GetProperty("phone").GetString()!, entry.GetProperty(nameProperty).GetString()!, role, entry.GetProperty("code").GetString());

    /// <summary>A relative path is looked for beside the binaries (where the build links the catalogue), then in the content root.</summary>
    private static string ResolvePath(string path, string contentRoot)
    {
        if (Path.IsPathRooted(path)) return path;
        var besideBinaries = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(besideBinaries) ? besideBinaries : Path.Combine(contentRoot, path);
    }
}
