using System.Globalization;

namespace Khaacho.Core.Invoicing;

/// <summary>Nepal's fiscal year: 1 Shrawan to the last day of Asar, named by the BS years it spans (<c>2082-83</c>).</summary>
public readonly record struct FiscalYear(int StartYear)
{
    private const int Shrawan = 4;

    public static FiscalYear Of(BsDate date) => new(date.Month >= Shrawan ? date.Year : date.Year - 1);

    public BsDate FirstDay => new(StartYear, Shrawan, 1);

    public BsDate LastDay => new(StartYear + 1, Shrawan - 1, BikramSambat.DaysInMonth(StartYear + 1, Shrawan - 1));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{StartYear}-{(StartYear + 1) % 100:D2}");
}
