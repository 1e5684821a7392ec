using StackExchange.Redis;

namespace Khaacho.Worker.Streaming;

/// <summary>One delivery of a stream entry: its body, the trace it belongs to, and which attempt this is.</summary>
public sealed record StreamMessage(string Stream, string Id, string Payload, string? TraceParent, int Attempt, DateTimeOffset FirstSeenAt)
{
    public const string PayloadField = "payload";
    public const string TraceParentField = "traceparent";
    public const string AttemptField = "attempt";
    public const string FirstSeenField = "first_seen";

    public static StreamMessage From(string stream, StreamEntry entry, DateTimeOffset now)
    {
        var attempt = entry[AttemptField];
        var firstSeen = entry[FirstSeenField];
        var traceParent = entry[TraceParentField];
        return new StreamMessage(
            stream,
            entry.Id!,
            entry[PayloadField].ToString(),
            traceParent.IsNullOrEmpty ? null : traceParent.ToString(),
            attempt.IsNullOrEmpty ? 1 : (int)attempt,
            firstSeen.IsNullOrEmpty ? now : DateTimeOffset.FromUnixTimeMilliseconds((long)firstSeen));
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

    /// <summary>The fields of this message's next delivery.</summary>
    public NameValueEntry[] NextAttemptFields() =>
    [
        new(PayloadField, Payload),
        new(TraceParentField, TraceParent ?? ""),
        new(AttemptField, Attempt + 1),
        new(FirstSeenField, FirstSeenAt.ToUnixTimeMilliseconds()),
    ];
}
