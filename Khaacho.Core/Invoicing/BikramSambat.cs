using System.Globalization;

namespace Khaacho.Core.Invoicing;

/// <summary>A date in Bikram Sambat (Nepal's official calendar): month 1 is Baisakh, month 4 Shrawan, month 12 Chaitra.</summary>
public readonly record struct BsDate(int Year, int Month, int Day)
{
    public static readonly string[] MonthNames =
        ["Baisakh", "Jestha", "Asar", "Shrawan", "Bhadra", "Asoj", "Kartik", "Mangsir", "Poush", "Magh", "Falgun", "Chaitra"];

    public string MonthName => MonthNames[Month - 1];

    /// <summary>ISO-like <c>2082-04-01</c>, as Nepali offices write BS dates in figures.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}");
}

/// <summary>
/// Converts between the Gregorian calendar and Bikram Sambat. BS month lengths follow no formula (they come from the
/// solar almanac the Nepal Panchanga Nirnayak Samiti publishes each year), so the conversion counts days through a
/// month-length table: 2000–2095 BS (1943-04-14 to 2039-04-14 AD), from amitgaru2/nepali-datetime's calendar_bs.csv
/// (scraped from nepalipatro.com.np), identical to opensource-nepal/node-nepali-datetime for 2000–2081; see
/// docs/architecture.md, "VAT invoices". Years beyond the published almanacs are projections (the source's 2096 has 364
/// days, so the table stops at 2095): update the table when a new almanac disagrees.
/// </summary>
public static class BikramSambat
{
    public const int FirstYear = 2000;
    public const int LastYear = 2095;

    /// <summary>1 Baisakh 2000 BS.</summary>
    public static readonly DateOnly FirstDay = new(1943, 4, 14);

    private static readonly int[][] MonthDays =
    [
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2000
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2001
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2002
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2003
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2004
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2005
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2006
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2007
        [31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 29, 31], // 2008
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2009
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2010
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2011
        [31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30], // 2012
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2013
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2014
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2015
        [31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30], // 2016
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2017
        [31, 32, 31, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2018
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2019
        [31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30], // 2020
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2021
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30], // 2022
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2023
        [31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30], // 2024
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2025
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2026
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2027
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2028
        [31, 31, 32, 31, 32, 30, 30, 29, 30, 29, 30, 30], // 2029
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2030
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2031
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2032
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2033
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2034
        [30, 32, 31, 32, 31, 31, 29, 30, 30, 29, 29, 31], // 2035
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2036
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2037
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2038
        [31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30], // 2039
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2040
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2041
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2042
        [31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30], // 2043
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2044
        [31, 32, 31, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2045
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2046
        [31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30], // 2047
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2048
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30], // 2049
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2050
        [31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30], // 2051
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2052
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30], // 2053
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2054
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2055
        [31, 31, 32, 31, 32, 30, 30, 29, 30, 29, 30, 30], // 2056
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2057
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2058
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2059
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2060
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2061
        [30, 32, 31, 32, 31, 31, 29, 30, 29, 30, 29, 31], // 2062
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2063
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2064
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2065
        [31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 29, 31], // 2066
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2067
        [31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2068
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2069
        [31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30], // 2070
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2071
        [31, 32, 31, 32, 31, 30, 30, 29, 30, 29, 30, 30], // 2072
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31], // 2073
        [31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30], // 2074
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2075
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30], // 2076
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2077
        [31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30], // 2078
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30], // 2079
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30], // 2080
        [31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31], // 2081
        [31, 31, 32, 31, 31, 30, 30, 30, 29, 30, 30, 30], // 2082
        [31, 31, 32, 31, 31, 30, 30, 30, 29, 30, 30, 30], // 2083
        [31, 31, 32, 31, 31, 30, 30, 30, 29, 30, 30, 30], // 2084
        [31, 32, 31, 32, 30, 31, 30, 30, 29, 30, 30, 30], // 2085
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 30, 30], // 2086
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 30, 30, 30], // 2087
        [30, 31, 32, 32, 30, 31, 30, 30, 29, 30, 30, 30], // 2088
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 30, 30], // 2089
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 30, 30], // 2090
        [31, 31, 32, 31, 31, 31, 30, 30, 29, 30, 30, 30], // 2091
        [30, 31, 32, 32, 31, 30, 30, 30, 29, 30, 30, 30], // 2092
        [30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 30, 30], // 2093
        [31, 31, 32, 31, 31, 30, 30, 30, 29, 30, 30, 30], // 2094
        [31, 31, 32, 31, 31, 31, 30, 29, 30, 30, 30, 30], // 2095
    ];

    /// <summary>Day number (from <see cref="FirstDay"/>) of each year's 1 Baisakh, and one past the last year.</summary>
    private static readonly int[] YearStarts = BuildYearStarts();

    public static DateOnly LastDay => FirstDay.AddDays(YearStarts[^1] - 1);

    public static int DaysInMonth(int year, int month)
    {
        CheckYear(year);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        return MonthDays[year - FirstYear][month - 1];
    }

    /// <exception cref="ArgumentOutOfRangeException">The date is outside the table (before 1943-04-14 or after 2039-04-14).</exception>
    public static BsDate FromGregorian(DateOnly date)
    {
        var offset = date.DayNumber - FirstDay.DayNumber;
        if (offset < 0 || offset >= YearStarts[^1])
            throw new ArgumentOutOfRangeException(nameof(date), date, $"Bikram Sambat dates are known here from {FirstDay:yyyy-MM-dd} to {LastDay:yyyy-MM-dd}.");
        var index = Array.BinarySearch(YearStarts, offset);
        if (index < 0) index = ~index - 1;
        var remaining = offset - YearStarts[index];
        var months = MonthDays[index];
        var month = 0;
        while (remaining >= months[month]) remaining -= months[month++];
        return new BsDate(FirstYear + index, month + 1, remaining + 1);
    }

    /// <exception cref="ArgumentOutOfRangeException">No such day in the table.</exception>
    public static DateOnly ToGregorian(BsDate date)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(date.Day, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(date.Day, DaysInMonth(date.Year, date.Month));
        var months = MonthDays[date.Year - FirstYear];
        var offset = YearStarts[date.Year - FirstYear] + months.Take(date.Month - 1).Sum() + date.Day - 1;
        return FirstDay.AddDays(offset);
    }

    private static void CheckYear(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, FirstYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, LastYear);
    }

    private static int[] BuildYearStarts()
    {
        var starts = new int[MonthDays.Length + 1];
        for (var i = 0; i < MonthDays.Length; i++) starts[i + 1] = starts[i] + MonthDays[i].Sum();
        return starts;
    }
}
