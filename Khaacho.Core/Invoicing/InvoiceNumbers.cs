using System.Globalization;

namespace Khaacho.Core.Invoicing;

/// <summary>An invoice's number as printed: <c>&lt;vendor code&gt;/&lt;fiscal year&gt;/&lt;sequence, six digits&gt;</c>, e.g. <c>V001/2082-83/000123</c>.</summary>
public static class InvoiceNumbers
{
    public static string Format(string vendorCode, FiscalYear fiscalYear, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{vendorCode}/{fiscalYear}/{sequence:D6}");
    }
}
