using Khaacho.Core.Credit;
using Khaacho.Core.Invoicing;

namespace Khaacho.Tests.Invoicing;

public sealed class BikramSambatTests
{
    [Theory]
    [InlineData(1943, 4, 14, 2000, 1, 1)] // the table's first day
    [InlineData(2024, 4, 13, 2081, 1, 1)] // New Year 2081
    [InlineData(2025, 4, 14, 2082, 1, 1)] // New Year 2082
    [InlineData(2025, 7, 16, 2082, 3, 32)] // last day of Asar 2082: fiscal year 2081-82 ends
    [InlineData(2025, 7, 17, 2082, 4, 1)] // 1 Shrawan 2082: fiscal year 2082-83 begins
    [InlineData(2025, 10, 2, 2082, 6, 16)] // Vijaya Dashami 2082, as the Panchanga committee announced it
    [InlineData(2025, 10, 27, 2082, 7, 11)] // a Monday, 11 Kartik 2082, as a Nepali news site dated it
    [InlineData(2026, 4, 14, 2083, 1, 1)] // New Year 2083
    public void Known_days_convert_both_ways(int adYear, int adMonth, int adDay, int bsYear, int bsMonth, int bsDay)
    {
        var ad = new DateOnly(adYear, adMonth, adDay);
        var bs = new BsDate(bsYear, bsMonth, bsDay);

        Assert.Equal(bs, BikramSambat.FromGregorian(ad));
        Assert.Equal(ad, BikramSambat.ToGregorian(bs));
    }

    [Fact]
    public void Every_day_of_the_table_round_trips_and_follows_the_day_before()
    {
        var previous = BikramSambat.FromGregorian(BikramSambat.FirstDay);
        Assert.Equal(new BsDate(BikramSambat.FirstYear, 1, 1), previous);
        var days = 1;
        for (var day = BikramSambat.FirstDay.AddDays(1); day <= BikramSambat.LastDay; day = day.AddDays(1), days++)
        {
            var bs = BikramSambat.FromGregorian(day);
            Assert.Equal(day, BikramSambat.ToGregorian(bs));
            var expected = previous.Day < BikramSambat.DaysInMonth(previous.Year, previous.Month)
                ? previous with { Day = previous.Day + 1 }
                : previous.Month < 12 ? new BsDate(previous.Year, previous.Month + 1, 1) : new BsDate(previous.Year + 1, 1, 1);
            Assert.Equal(expected, bs);
            previous = bs;
        }
        Assert.Equal(new BsDate(BikramSambat.LastYear, 12, BikramSambat.DaysInMonth(BikramSambat.LastYear, 12)), previous);
        Assert.Equal(BikramSambat.LastDay.DayNumber - BikramSambat.FirstDay.DayNumber + 1, days);
        Assert.Equal(35_065, days); // 2000–2095 BS
    }

    [Fact]
    public void Every_year_has_365_or_366_days_and_months_of_29_to_32()
    {
        for (var year = BikramSambat.FirstYear; year <= BikramSambat.LastYear; year++)
        {
            var months = Enumerable.Range(1, 12).Select(m => BikramSambat.DaysInMonth(year, m)).ToList();
            Assert.All(months, days => Assert.InRange(days, 29, 32));
            Assert.InRange(months.Sum(), 365, 366);
        }
    }

    [Fact]
    public void Days_outside_the_table_are_refused_not_guessed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BikramSambat.FromGregorian(BikramSambat.FirstDay.AddDays(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BikramSambat.FromGregorian(BikramSambat.LastDay.AddDays(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BikramSambat.ToGregorian(new BsDate(2082, 3, 33)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BikramSambat.ToGregorian(new BsDate(2082, 13, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BikramSambat.ToGregorian(new BsDate(BikramSambat.LastYear + 1, 1, 1)));
    }
}

public sealed class FiscalYearTests
{
    [Theory]
    [InlineData(2082, 3, 32, 2081)] // last day of Asar
    [InlineData(2082, 4, 1, 2082)] // 1 Shrawan
    [InlineData(2082, 1, 1, 2081)] // Baisakh is late in the fiscal year
    [InlineData(2082, 12, 30, 2082)]
    public void A_fiscal_year_runs_from_Shrawan_1_to_the_end_of_Asar(int year, int month, int day, int fiscalYear) =>
        Assert.Equal(new FiscalYear(fiscalYear), FiscalYear.Of(new BsDate(year, month, day)));

    [Fact]
    public void A_fiscal_year_is_named_by_both_years_and_knows_its_first_and_last_day()
    {
        var year = new FiscalYear(2082);
        Assert.Equal("2082-83", year.ToString());
        Assert.Equal("2099-00", new FiscalYear(2099).ToString());
        Assert.Equal(new BsDate(2082, 4, 1), year.FirstDay);
        Assert.Equal(new BsDate(2083, 3, BikramSambat.DaysInMonth(2083, 3)), year.LastDay);
        Assert.Equal(BikramSambat.ToGregorian(year.LastDay).AddDays(1), BikramSambat.ToGregorian(new FiscalYear(2083).FirstDay));
    }

    [Fact]
    public void The_day_is_Nepal_s_day_at_UTC_plus_five_forty_five()
    {
        var midnightInKathmandu = new DateTimeOffset(2025, 7, 16, 18, 15, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2025, 7, 17), NepalTime.DayOf(midnightInKathmandu));
        Assert.Equal(new DateOnly(2025, 7, 16), NepalTime.DayOf(midnightInKathmandu.AddTicks(-1)));
        Assert.Equal(new FiscalYear(2082), FiscalYear.Of(BikramSambat.FromGregorian(NepalTime.DayOf(midnightInKathmandu))));
        Assert.Equal(new FiscalYear(2081), FiscalYear.Of(BikramSambat.FromGregorian(NepalTime.DayOf(midnightInKathmandu.AddSeconds(-1)))));
    }
}
