namespace Khaacho.Core.Orders;

public static class OrderIds
{
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// The creation time a UUIDv7 order id carries in its first 48 bits (Unix milliseconds): with it a lookup by id
    /// names its partition. False for ids that are not version 7, or whose 48 bits name a time past the year 9999.
    /// </summary>
    public static bool TryGetCreatedAt(Guid id, out DateTimeOffset createdAt)
    {
        createdAt = default;
        if (id.Version != 7) return false;
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long millis = 0;
        for (var i = 0; i < 6; i++) millis = (millis << 8) | bytes[i];
        if (millis > MaxUnixMilliseconds) return false;
        createdAt = DateTimeOffset.FromUnixTimeMilliseconds(millis);
        return true;
    }
}
