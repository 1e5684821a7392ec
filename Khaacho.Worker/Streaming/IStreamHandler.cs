namespace Khaacho.Worker.Streaming;

/// <summary>Handles the messages of one stream. Must be idempotent: delivery is at least once.</summary>
public interface IStreamHandler
{
    string Stream { get; }

    /// <summary>Throw <see cref="PermanentStreamFailure"/> for a message that can never succeed; any other exception is retried.</summary>
    Task HandleAsync(StreamMessage message, CancellationToken cancellationToken);

    /// <summary>Called once the message is in the dead-letter stream, e.g. to mark its order failed.</summary>
    Task OnDeadLetteredAsync(StreamMessage message, string error, CancellationToken cancellationToken);
}

/// <summary>A message that no retry can fix (malformed, refers to nothing): it goes to the dead-letter stream at once.</summary>
public sealed class PermanentStreamFailure(string message, Exception? inner = null) : Exception(message, inner);
