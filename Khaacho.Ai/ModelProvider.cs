using System.Security.Cryptography;
using System.Text;
using Anthropic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace Khaacho.Ai;

/// <summary>Token counts of one answer, whichever connector produced it.</summary>
public readonly record struct ModelUsage(int InputTokens, int OutputTokens);

public sealed record ModelAnswer(string? Content, ModelUsage Usage, string? ResponseModel);

/// <summary>
/// One configured provider: a Semantic Kernel with that provider's chat service on its named, resilient HttpClient.
/// OpenAI and the local model go through SK's OpenAI connector; Claude through the official Anthropic SDK as an
/// IChatClient. <see cref="Fingerprint"/> identifies the configuration it was built from.
/// </summary>
public sealed class ModelProvider
{
    private static readonly KernelFunction ParseOrder = OrderParsePrompt.Create();
    private readonly Kernel kernel;
    private readonly PromptExecutionSettings settings;

    public string Name { get; }
    public string Model { get; }
    public Uri Endpoint { get; }
    public string Fingerprint { get; }
    public ModelProviderOptions Options { get; }

    public ModelProvider(string name, ModelProviderOptions options, HttpClient http)
    {
        Name = name;
        Options = options;
        Model = options.ModelFor(name);
        Endpoint = options.EndpointFor(name);
        Fingerprint = FingerprintOf(name, options);
        var builder = Kernel.CreateBuilder();
        if (name == ProviderNames.Anthropic)
        {
            var client = new AnthropicClient { ApiKey = options.ApiKey, BaseUrl = Endpoint.ToString().TrimEnd('/'), HttpClient = http, MaxRetries = 0 };
            builder.Services.AddSingleton<IChatCompletionService>(client.AsIChatClient(Model, options.MaxOutputTokens).AsChatCompletionService());
            settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["temperature"] = 0 } };
        }
        else
        {
            // A local server needs no key, but the connector requires one.
            builder.AddOpenAIChatCompletion(Model, Endpoint, string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey, httpClient: http);
            settings = new OpenAIPromptExecutionSettings { Temperature = 0, MaxTokens = options.MaxOutputTokens, ResponseFormat = typeof(ModelOrder) };
        }
        kernel = builder.Build();
    }

    public static string FingerprintOf(string name, ModelProviderOptions options) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{name}|{options.EndpointFor(name)}|{options.ModelFor(name)}|{options.ApiKey}")))[..16];

    public async Task<ModelAnswer> ParseAsync(string catalogue, string text, CancellationToken cancellationToken)
    {
        var result = await kernel.InvokeAsync(ParseOrder, new KernelArguments(settings) { ["catalogue"] = catalogue, ["text"] = text }, cancellationToken);
        var message = result.GetValue<ChatMessageContent>();
        return new ModelAnswer(message?.Content, UsageOf(message), message?.ModelId);
    }

    private static ModelUsage UsageOf(ChatMessageContent? message)
    {
        if (message is null) return default;
        if (message.InnerContent is ChatResponse response && response.Usage is { } details) return FromDetails(details);
        if (message.Metadata?.TryGetValue("Usage", out var usage) == true)
        {
            switch (usage)
            {
                case OpenAI.Chat.ChatTokenUsage openAi: return new ModelUsage(openAi.InputTokenCount, openAi.OutputTokenCount);
                case UsageDetails usageDetails: return FromDetails(usageDetails);
            }
        }
        return default;
    }

    private static ModelUsage FromDetails(UsageDetails details) =>
        new((int)(details.InputTokenCount ?? 0), (int)(details.OutputTokenCount ?? 0));
}
