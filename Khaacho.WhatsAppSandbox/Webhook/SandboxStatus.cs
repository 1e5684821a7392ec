namespace Khaacho.WhatsAppSandbox.Webhook;

/// <summary>What <c>GET /api/status</c> reports: the subscription handshake's outcome and the webhook deliveries so far.</summary>
public sealed class SandboxStatus
{
    private long delivered;
    private long retried;
    private long failed;

    public string HandshakeState { get; private set; } = "pending";
    public string? HandshakeAnswer { get; private set; }
    public int HandshakeAttempts { get; private set; }
    public DateTimeOffset? HandshakeAt { get; private set; }

    public long Delivered => Interlocked.Read(ref delivered);
    public long Retried => Interlocked.Read(ref retried);
    public long Failed => Interlocked.Read(ref failed);

    public void RecordHandshake(string state, string? answer, DateTimeOffset at)
    {
        HandshakeAttempts++;
        HandshakeState = state;
        HandshakeAnswer = answer;
        HandshakeAt = at;
    }

    public void RecordDelivery(bool succeeded, bool final)
    {
        if (succeeded) Interlocked.Increment(ref delivered);
        else if (final) Interlocked.Increment(ref failed);
        else Interlocked.Increment(ref retried);
    }
}
