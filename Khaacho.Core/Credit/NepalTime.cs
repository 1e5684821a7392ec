namespace Khaacho.Core.Credit;

/// <summary>
/// Days as Nepal counts them (UTC+05:45, no daylight saving since 1986): statements, ageing and reminders cut days
/// here, not at UTC midnight. A fixed offset rather than the tz database, so a container without tzdata agrees.
/// </summary>
public static class NepalTime
{
    public static readonly TimeSpan Offset = new(5, 45, 0);

    public static DateTimeOffset ToNepal(DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToNepal(instant).DateTime);

    /// <summary>The instant a Nepal day begins, in UTC (Npgsql takes timestamptz parameters in UTC only).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();
}
