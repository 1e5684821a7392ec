namespace Khaacho.Core.Messaging;

/// <summary>What one attempt to publish an outbox row did.</summary>
public enum PublishOutcome
{
    /// <summary>The entry is on its stream now.</summary>
    Added,
    /// <summary>The row had been published before (its claim key is still there): nothing added.</summary>
    AlreadyPublished,
    /// <summary>The stream is at its capacity: the row stays in the outbox for the relay.</summary>
    StreamFull,
}
