namespace Khaacho.Ai;

/// <summary>Section <c>Ai</c>: which model providers parse order texts, in what order, and what they may spend.</summary>
public sealed class AiOptions
{
    public const string Section = "Ai";

    /// <summary>Offline parses at or above this confidence (0–1) are accepted without calling a model.</summary>
    public double ConfidenceThreshold { get; set; } = 0.8;

    /// <summary>Failover order, comma-separated. A provider is tried only when configured (see <see cref="ModelProviderOptions.IsConfigured"/>).</summary>
    public string ProviderOrder { get; set; } = "openai,anthropic,local";

    /// <summary>The known provider names in <see cref="ProviderOrder"/>; unknown names are ignored.</summary>
    public List<string> Order() =>
        [.. ProviderOrder.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n.ToLowerInvariant()).Where(ProviderNames.All.Contains).Distinct()];

    /// <summary>By provider name: <c>openai</c>, <c>anthropic</c>, <c>local</c>.</summary>
    public Dictionary<string, ModelProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Model spend allowed per UTC day, in US dollars; once spent, only the offline parser answers until midnight UTC.</summary>
    public decimal DailyBudgetUsd { get; set; } = 5m;

    /// <summary>How long a model's answer for a text is reused for the same text.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The whole model chain's limit for <c>POST /orders/parse</c>; past it the offline result is returned.</summary>
    public TimeSpan PreviewTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public ModelProviderOptions Provider(string name) =>
        Providers.TryGetValue(name, out var options) ? options : new ModelProviderOptions();
}

public static class ProviderNames
{
    public const string OpenAI = "openai";
    public const string Anthropic = "anthropic";
    public const string Local = "local";
    public static readonly string[] All = [OpenAI, Anthropic, Local];
}

public sealed class ModelProviderOptions
{
    /// <summary>Base URL: <c>https://api.openai.com/v1</c>, <c>https://api.anthropic.com</c>; for <c>local</c>, any OpenAI-compatible <c>/v1</c> (e.g. Ollama's).</summary>
    public Uri? Endpoint { get; set; }
    public string? Model { get; set; }
    /// <summary>A secret: set it through the AppHost parameter (<c>openai-api-key</c>, <c>anthropic-api-key</c>) or the environment, never in a file.</summary>
    public string? ApiKey { get; set; }
    public decimal InputUsdPerMillionTokens { get; set; }
    public decimal OutputUsdPerMillionTokens { get; set; }
    public int MaxOutputTokens { get; set; } = 1024;
    public ModelResilienceOptions Resilience { get; set; } = new();

    /// <summary>Hosted providers need a key; the local model needs only an endpoint.</summary>
    public bool IsConfigured(string name) =>
        name == ProviderNames.Local ? Endpoint is not null : !string.IsNullOrWhiteSpace(ApiKey);

    public Uri EndpointFor(string name) => Endpoint ?? name switch
    {
        ProviderNames.OpenAI => new Uri("https://api.openai.com/v1"),
        ProviderNames.Anthropic => new Uri("https://api.anthropic.com"),
        _ => new Uri("http://localhost:11434/v1"),
    };

    public string ModelFor(string name) => Model ?? name switch
    {
        ProviderNames.OpenAI => "gpt-4o-mini",
        ProviderNames.Anthropic => "claude-haiku-4-5",
        _ => "llama3.2",
    };

    public decimal CostUsd(int inputTokens, int outputTokens) =>
        (inputTokens * InputUsdPerMillionTokens + outputTokens * OutputUsdPerMillionTokens) / 1_000_000m;
}

/// <summary>Sized for LLM latency: a parse is seconds, not milliseconds.</summary>
public sealed class ModelResilienceOptions
{
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(45);
    public int MaxRetryAttempts { get; set; } = 2;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Failures in this share of the calls within <see cref="SamplingDuration"/> open the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;
    public int MinimumThroughput { get; set; } = 4;
    /// <summary>At least twice <see cref="AttemptTimeout"/> (the resilience options' own rule).</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
