using System.ComponentModel.DataAnnotations;

namespace Khaacho.Core.Messaging;

/// <summary>
/// How much each stream may hold (section <c>Streams</c>, shared by the api's publisher and the workers). A stream at
/// its capacity takes no new entries: the outbox keeps them in PostgreSQL until the workers catch up, so Redis memory
/// stays bounded without ever trimming an entry a consumer group has not acknowledged.
/// </summary>
public sealed class StreamLimits
{
    public const string Section = "Streams";

    /// <summary>Entries a stream may hold, read or not; ≈ 330 B each in Redis 7, so 100,000 ≈ 33 MB per stream.</summary>
    [Range(1, int.MaxValue)]
    public int Capacity { get; set; } = 100_000;
    /// <summary>Dead letters kept per stream (oldest trimmed first); their orders are already failed in PostgreSQL.</summary>
    [Range(1, int.MaxValue)]
    public int DeadLetterCapacity { get; set; } = 10_000;
}
