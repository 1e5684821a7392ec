namespace Khaacho.Core.Catalog;

public sealed class Product
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Category { get; set; }
    public required string Unit { get; set; }
    public required string PackSize { get; set; }
    public decimal Mrp { get; set; }
    /// <summary>Names retailers use in chat: romanized Nepali, Devanagari, common misspellings.</summary>
    public string[] Aliases { get; set; } = [];
    public bool IsActive { get; set; } = true;
}
