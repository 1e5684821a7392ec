using PdfSharp.Fonts;

namespace Khaacho.Api.Invoicing;

/// <summary>
/// Every font request of the invoice PDF gets DejaVu Sans (regular or bold) from the assembly's resources, so rendering
/// needs no installed fonts (the chiseled image has none). It covers Latin, Greek and Cyrillic, not Devanagari.
/// </summary>
internal sealed class InvoiceFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans.ttf";
    private const string Bold = "DejaVuSans-Bold.ttf";

    private static readonly Lazy<bool> Installed = new(() =>
    {
        GlobalFontSettings.FontResolver = new InvoiceFonts();
        return true;
    });

    /// <summary>PDFsharp's font resolver is process-wide and set once, before the first document.</summary>
    public static void EnsureInstalled() => _ = Installed.Value;

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        // Italic is simulated by PDFsharp (the invoice uses none).
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[] GetFont(string faceName)
    {
        using var stream = typeof(InvoiceFonts).Assembly.GetManifestResourceStream(faceName)
            ?? throw new InvalidOperationException($"The embedded font {faceName} is missing.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
