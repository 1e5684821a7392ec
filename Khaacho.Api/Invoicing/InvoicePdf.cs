using Khaacho.Core.Credit;
using System.Globalization;
using Khaacho.Core.Invoicing;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Khaacho.Api.Invoicing;

/// <summary>
/// Renders an issued invoice as an A4 PDF with PDFsharp: seller and buyer, number and dates, the lines (continued on
/// further pages, headings repeated, when they do not fit), taxable amount, VAT, total in figures and in words.
/// </summary>
public static class InvoicePdf
{
    private const double Margin = 40;
    private const double LineHeight = 14;
    private static readonly XFont Title = Font(16, bold: true);
    private static readonly XFont Heading = Font(11, bold: true);
    private static readonly XFont Body = Font(9);
    private static readonly XFont BodyBold = Font(9, bold: true);
    private static readonly XFont Small = Font(7.5);

    /// <summary>Columns of the lines table: left edge and width, in points.</summary>
    private static readonly (string Title, double X, double Width, bool Right)[] Columns =
    [
        ("S.N.", Margin, 28, true), ("Description", Margin + 34, 215, false), ("Qty", Margin + 255, 40, true),
        ("Unit", Margin + 302, 50, false), ("Rate (NPR)", Margin + 352, 70, true), ("Amount (NPR)", Margin + 425, 90, true),
    ];

    public static byte[] Render(InvoiceView invoice)
    {
        InvoiceFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"Tax invoice {invoice.Number}";
        document.Info.Author = invoice.Seller.Name;
        document.Info.Creator = "Khaacho";

        var (page, gfx) = NewPage(document);
        var y = Header(gfx, page, invoice);
        y = TableHeading(gfx, y);
        foreach (var line in invoice.Lines)
        {
            var description = Wrap(gfx, line.Description, Body, Columns[1].Width);
            if (y + description.Count * LineHeight > page.Height.Point - Margin - 40)
            {
                gfx.Dispose();
                (page, gfx) = NewPage(document);
                y = TableHeading(gfx, Margin + 20);
            }
            Cell(gfx, line.LineNumber.ToString(CultureInfo.InvariantCulture), 0, y);
            for (var i = 0; i < description.Count; i++) Cell(gfx, description[i], 1, y + i * LineHeight);
            Cell(gfx, line.Quantity.ToString(CultureInfo.InvariantCulture), 2, y);
            Cell(gfx, line.Unit, 3, y);
            Cell(gfx, Money.Figures(line.UnitPrice), 4, y);
            Cell(gfx, Money.Figures(line.Amount), 5, y);
            y += description.Count * LineHeight + 2;
        }
        if (y > page.Height.Point - Margin - 120)
        {
            gfx.Dispose();
            (page, gfx) = NewPage(document);
            y = Margin + 20;
        }
        Totals(gfx, invoice, y);
        gfx.Dispose();
        PageNumbers(document, invoice.Number);

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static (PdfPage, XGraphics) NewPage(PdfDocument document)
    {
        var page = document.AddPage();
        page.Size = PageSize.A4;
        return (page, XGraphics.FromPdfPage(page));
    }

    private static double Header(XGraphics gfx, PdfPage page, InvoiceView invoice)
    {
        var width = page.Width.Point - 2 * Margin;
        gfx.DrawString("TAX INVOICE", Title, XBrushes.Black, new XRect(Margin, Margin, width, 20), XStringFormats.TopCenter);
        var y = Margin + 34;

        var left = y;
        gfx.DrawString(invoice.Seller.Name, Heading, XBrushes.Black, Margin, left += 12);
        foreach (var text in PartyLines(invoice.Seller, "Seller PAN"))
            gfx.DrawString(text, Body, XBrushes.Black, Margin, left += LineHeight);

        var right = y;
        var labelX = Margin + 300;
        foreach (var (label, value) in new[]
        {
            ("Invoice no.", invoice.Number), ("Fiscal year", invoice.FiscalYear), ("Date (BS)", BsText(invoice.DateBs)),
            ("Date (AD)", invoice.DateAd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("Order", invoice.OrderNumber),
        })
        {
            right += LineHeight;
            gfx.DrawString(label, BodyBold, XBrushes.Black, labelX, right);
            gfx.DrawString(value, Body, XBrushes.Black, labelX + 70, right);
        }

        y = Math.Max(left, right) + 24;
        gfx.DrawString("Buyer", BodyBold, XBrushes.Black, Margin, y);
        gfx.DrawString(invoice.Buyer.Name, Heading, XBrushes.Black, Margin, y += LineHeight);
        foreach (var text in PartyLines(invoice.Buyer, "Buyer PAN"))
            gfx.DrawString(text, Body, XBrushes.Black, Margin, y += LineHeight);
        return y + 24;
    }

    private static IEnumerable<string> PartyLines(InvoiceParty party, string panLabel)
    {
        yield return party.Address;
        yield return $"{panLabel}: {party.Pan ?? "not registered"}";
    }

    /// <summary>2082-08-21 → "21 Mangsir 2082 (2082-08-21)".</summary>
    private static string BsText(string dateBs)
    {
        var parts = dateBs.Split('-').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var date = new BsDate(parts[0], parts[1], parts[2]);
        return $"{date.Day} {date.MonthName} {date.Year} ({dateBs})";
    }

    private static double TableHeading(XGraphics gfx, double y)
    {
        var width = Columns[^1].X + Columns[^1].Width - Margin;
        gfx.DrawRectangle(XBrushes.Gainsboro, Margin - 2, y - 11, width + 4, LineHeight + 2);
        for (var i = 0; i < Columns.Length; i++) Cell(gfx, Columns[i].Title, i, y, BodyBold);
        return y + LineHeight + 4;
    }

    private static void Cell(XGraphics gfx, string text, int column, double y, XFont? font = null)
    {
        var (_, x, width, right) = Columns[column];
        var rect = new XRect(x, y - 10, width, LineHeight);
        gfx.DrawString(text, font ?? Body, XBrushes.Black, rect, right ? XStringFormats.TopRight : XStringFormats.TopLeft);
    }

    private static void Totals(XGraphics gfx, InvoiceView invoice, double y)
    {
        var right = Columns[^1].X + Columns[^1].Width;
        gfx.DrawLine(XPens.Black, Margin, y, right, y);
        y += LineHeight;
        var vatPercent = (invoice.VatRate * 100).ToString("0.##", CultureInfo.InvariantCulture);
        foreach (var (label, amount, font) in new[]
        {
            ("Taxable amount", invoice.Taxable, Body), ($"VAT {vatPercent}%", invoice.Vat, Body), ("Total", invoice.Total, BodyBold),
        })
        {
            gfx.DrawString(label, font, XBrushes.Black, new XRect(Columns[3].X, y - 10, 140, LineHeight), XStringFormats.TopLeft);
            gfx.DrawString(Money.Figures(amount), font, XBrushes.Black, new XRect(Columns[5].X, y - 10, Columns[5].Width, LineHeight), XStringFormats.TopRight);
            y += LineHeight;
        }
        y += 8;
        gfx.DrawString("In words:", BodyBold, XBrushes.Black, Margin, y);
        foreach (var text in Wrap(gfx, invoice.TotalInWords, Body, right - Margin - 55))
        {
            gfx.DrawString(text, Body, XBrushes.Black, Margin + 55, y);
            y += LineHeight;
        }
    }

    private static void PageNumbers(PdfDocument document, string number)
    {
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var footer = $"{number} · page {i + 1} of {document.PageCount} · issued through Khaacho on behalf of the seller";
            gfx.DrawString(footer, Small, XBrushes.Gray, new XRect(Margin, page.Height.Point - Margin, page.Width.Point - 2 * Margin, 10), XStringFormats.TopCenter);
        }
    }

    /// <summary>Breaks text into lines that fit <paramref name="width"/>, at spaces (a word longer than a line is cut).</summary>
    private static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : $"{current} {word}";
            if (gfx.MeasureString(candidate, font).Width <= width) { current = candidate; continue; }
            if (current.Length > 0) lines.Add(current);
            current = word;
            while (gfx.MeasureString(current, font).Width > width && current.Length > 1)
            {
                var fit = current.Length - 1;
                while (fit > 1 && gfx.MeasureString(current[..fit], font).Width > width) fit--;
                lines.Add(current[..fit]);
                current = current[fit..];
            }
        }
        if (current.Length > 0 || lines.Count == 0) lines.Add(current);
        return lines;
    }

    private static XFont Font(double size, bool bold = false)
    {
        InvoiceFonts.EnsureInstalled();
        return new XFont(InvoiceFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
    }
}
