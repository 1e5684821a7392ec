using StackExchange.Redis;

namespace Khaacho.Worker.Streaming;

/// <summary>One delivery of a stream entry: its body, the trace it belongs to, and which attempt this is.</summary>
public sealed record StreamMessage(string Stream, string Id, string Payload, string? TraceParent, int Attempt, DateTimeOffset FirstSeenAt)
{
    public const string PayloadField = "payload";
    public const string TraceParentField = "traceparent";
    public const string AttemptField = "attempt";
    public const string FirstSeenField = "first_seen";

    /// <exception cref="PermanentStreamFailure">The entry's fields cannot be read: no retry can fix it.</exception>
    public static StreamMessage From(string stream, StreamEntry entry, DateTimeOffset now)
    {
        var payload = entry[PayloadField];
        var attempt = entry[AttemptField];
        var firstSeen = entry[FirstSeenField];
        var traceParent = entry[TraceParentField];
        if (payload.IsNull) throw new PermanentStreamFailure("The entry has no payload field.");
        var attemptNumber = 1;
        if (!attempt.IsNullOrEmpty && (!attempt.TryParse(out attemptNumber) || attemptNumber < 1))
            throw new PermanentStreamFailure($"The entry's attempt field is not a positive number: '{Truncate(attempt)}'.");
        var firstSeenAt = now;
        if (!firstSeen.IsNullOrEmpty)
        {
            if (!firstSeen.TryParse(out long millis) || millis < 0 || millis > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                throw new PermanentStreamFailure($"The entry's first_seen field is not a time: '{Truncate(firstSeen)}'.");
            firstSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(millis);
        }
        return new StreamMessage(stream, entry.Id!, payload.ToString(), traceParent.IsNullOrEmpty ? null : traceParent.ToString(), attemptNumber, firstSeenAt);
    }

    /// <summary>The payload read with <paramref name="parse"/>; a payload that does not parse can never succeed, so it is a permanent failure.</summary>
    public T Body<T>(Func<string, T> parse)
    {
        try
        {
            return parse(Payload);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new PermanentStreamFailure($"Not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    /// <summary>The fields of this message's next delivery: the same attempt when handed back, the next after a failure.</summary>
    public NameValueEntry[] Fields(int attempt) =>
    [
        new(PayloadField, Payload),
        new(TraceParentField, TraceParent ?? ""),
        new(AttemptField, attempt),
        new(FirstSeenField, FirstSeenAt.ToUnixTimeMilliseconds()),
    ];

    private static string Truncate(RedisValue value) => value.ToString() is { Length: > 40 } s ? s[..40] : value.ToString();
}
