using Khaacho.Core.Credit;
using Khaacho.Core.Invoicing;

namespace Khaacho.Tests.Invoicing;

public sealed class AmountInWordsTests
{
    [Theory]
    [InlineData("0.05", "Rupees zero and five paisa only")]
    [InlineData("1", "Rupees one only")]
    [InlineData("21.10", "Rupees twenty-one and ten paisa only")]
    [InlineData("100", "Rupees one hundred only")]
    [InlineData("100000", "Rupees one lakh only")]
    [InlineData("250013.40", "Rupees two lakh fifty thousand thirteen and forty paisa only")]
    [InlineData("10000000", "Rupees one crore only")]
    [InlineData("12345678.90", "Rupees one crore twenty-three lakh forty-five thousand six hundred seventy-eight and ninety paisa only")]
    [InlineData("1000000000", "Rupees one hundred crore only")]
    [InlineData("0.005", "Rupees zero and one paisa only")] // half a paisa rounds away from zero, as OrderPricing does
    public void Amounts_read_in_the_Indian_numbering_system(string amount, string words) =>
        Assert.Equal(words, AmountInWords.Npr(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_negative_amount_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => AmountInWords.Npr(-1m));

    [Theory]
    [InlineData("0", "0.00")]
    [InlineData("999", "999.00")]
    [InlineData("1000", "1,000.00")]
    [InlineData("100000", "1,00,000.00")]
    [InlineData("12345678.9", "1,23,45,678.90")]
    public void Figures_are_grouped_in_lakhs_and_crores(string amount, string figures) =>
        Assert.Equal(figures, Money.Figures(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void An_invoice_number_names_the_seller_the_fiscal_year_and_a_six_digit_sequence()
    {
        Assert.Equal("V001/2082-83/000123", InvoiceNumbers.Format("V001", new FiscalYear(2082), 123));
        Assert.Equal("V001/2082-83/1234567", InvoiceNumbers.Format("V001", new FiscalYear(2082), 1_234_567));
        Assert.Throws<ArgumentOutOfRangeException>(() => InvoiceNumbers.Format("V001", new FiscalYear(2082), 0));
    }
}
