namespace Khaacho.Core.Ai;

/// <summary>One request to an AI model provider, whatever its outcome: the basis of cost control and of the providers report.</summary>
public sealed class AiCall
{
    public Guid Id { get; set; }
    /// <summary>The order whose text was parsed; null for a parse preview.</summary>
    public Guid? OrderId { get; set; }
    public required string Provider { get; set; }
    public required string Model { get; set; }
    /// <summary><see cref="AiCallOutcome"/>'s wire name.</summary>
    public required string Outcome { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    /// <summary>US dollars, from the provider's configured prices per million tokens.</summary>
    public decimal CostUsd { get; set; }
    public int LatencyMs { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class AiCallOutcome
{
    public const string Success = "success";
    /// <summary>The provider answered with an error status after the retries (5xx, 429 without relief, 4xx).</summary>
    public const string HttpError = "http_error";
    public const string AuthenticationFailed = "auth_failed";
    public const string Timeout = "timeout";
    public const string CircuitOpen = "circuit_open";
    /// <summary>The answer was not JSON of the requested shape, or named products that do not exist.</summary>
    public const string InvalidOutput = "invalid_output";
    public const string Error = "error";
}
