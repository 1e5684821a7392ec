using System.Diagnostics;
using System.Runtime.CompilerServices;
using Khaacho.Core.Ai;
using Khaacho.Core.Parsing;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Microsoft.Extensions.Hosting;
using Polly.Timeout;

namespace Khaacho.Ai;

/// <summary>
/// The parse chain for a chat order. The offline parser goes first and is free; when it is confident, nothing else
/// runs. Otherwise: the cache, then the configured providers in order (an open circuit or a disabled provider is
/// skipped without a request; any failure, including output that is not the schema or names unknown products, moves
/// to the next), and the offline parse as the last resort. No provider is called once the daily budget is spent.
/// </summary>
public sealed class OrderTextParser(
    ParserCatalog catalog, ModelProviders providers, ParseCache cache, AiBudget budget, AiCallRecorder recorder,
    IOptionsMonitor<AiOptions> options)
{
    public const string CacheSource = "cache";
    public const string FallbackSource = "fallback";
    private static readonly ConditionalWeakTable<OfflineOrderParser, string> Catalogues = [];

    public double ConfidenceThreshold => options.CurrentValue.ConfidenceThreshold;

    public bool IsConfident(ParsedOrder parsed) => parsed.Items.Count > 0 && parsed.Confidence >= ConfidenceThreshold;

    /// <param name="limit">When the model chain must give up and return the offline parse (a preview's deadline); null for none.</param>
    public async Task<ParsedOrder> ParseAsync(string text, Guid? orderId, TimeSpan? limit, CancellationToken cancellationToken)
    {
        var parser = await catalog.ParserAsync(cancellationToken);
        var offline = parser.Parse(text);
        if (IsConfident(offline)) return Answered(offline, OfflineOrderParser.ProviderName);
        var configured = providers.Configured();
        if (configured.Count == 0) return Answered(offline, OfflineOrderParser.ProviderName);

        if (await cache.GetAsync(text) is { } cached)
        {
            try
            {
                return Answered(ModelOrderReader.ToParsedOrder(cached.Order, parser.Products, cached.Provider), CacheSource);
            }
            catch (InvalidModelOutputException)
            {
                // The catalogue changed since: ask again.
            }
        }
        if (!await budget.HasRoomAsync()) return Answered(offline, FallbackSource);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit is { } l) deadline.CancelAfter(l);
        var catalogue = Catalogues.GetValue(parser, p => OrderParsePrompt.Catalogue(p.Products));
        try
        {
            foreach (var provider in configured)
            {
                // An open circuit is not checked here: Polly moves it to half-open only when a call tries it, and
                // while open it refuses in the pipeline before any request is sent.
                if (providers.IsDisabled(provider)) continue;
                if (await TryAsync(provider, catalogue, text, parser.Products, orderId, deadline.Token) is { } parsed)
                {
                    return Answered(parsed, provider.Name);
                }
            }
        }
        catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The caller's limit, not a shutdown: answer with what is known.
        }
        return Answered(offline, FallbackSource);
    }

    private static ParsedOrder Answered(ParsedOrder parsed, string source)
    {
        AiMetrics.Parsed(source);
        Activity.Current?.SetTag("khaacho.parse.source", source);
        return parsed;
    }

    private async Task<ParsedOrder?> TryAsync(
        ModelProvider provider, string catalogue, string text, IReadOnlyList<ParserProduct> products, Guid? orderId, CancellationToken cancellationToken)
    {
        using var activity = KhaachoTelemetry.ActivitySource.StartActivity($"chat {provider.Model}", ActivityKind.Client);
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.provider.name", provider.Name == ProviderNames.Anthropic ? "anthropic" : "openai");
        activity?.SetTag("gen_ai.request.model", provider.Model);
        activity?.SetTag("server.address", provider.Endpoint.Host);
        activity?.SetTag("khaacho.ai.provider", provider.Name);
        if (orderId is { } id) activity?.SetTag("khaacho.order_id", id);

        var observation = ModelCallObservation.Begin();
        var started = Stopwatch.GetTimestamp();
        var usage = default(ModelUsage);
        ParsedOrder? parsed = null;
        string outcome;
        string? error = null;
        try
        {
            var answer = await provider.ParseAsync(catalogue, text, cancellationToken);
            usage = answer.Usage;
            activity?.SetTag("gen_ai.response.model", answer.ResponseModel);
            var order = ModelOrderReader.Read(answer.Content);
            parsed = ModelOrderReader.ToParsedOrder(order, products, provider.Name);
            await cache.SetAsync(text, new CachedParse(provider.Name, order));
            outcome = AiCallOutcome.Success;
        }
        catch (InvalidModelOutputException ex)
        {
            (outcome, error) = (AiCallOutcome.InvalidOutput, ex.Message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            (outcome, error) = (Classify(ex, observation), ex.Message);
            if (outcome == AiCallOutcome.AuthenticationFailed) await providers.DisableAsync(provider, observation.LastStatus ?? 0);
        }
        catch (Exception)
        {
            // The caller's deadline (a preview) or a shutdown, however the SDK surfaced it.
            (outcome, error) = (AiCallOutcome.Timeout, "The caller's time limit passed.");
            await RecordAsync();
            throw;
        }
        await RecordAsync();
        return parsed;

        async Task RecordAsync()
        {
            activity?.SetTag("khaacho.ai.outcome", outcome);
            if (outcome == AiCallOutcome.CircuitOpen)
            {
                // Skipped, not called: a metric, but no row and no cost.
                AiMetrics.Call(provider.Name, outcome, 0);
                return;
            }
            activity?.SetTag("gen_ai.usage.input_tokens", usage.InputTokens);
            activity?.SetTag("gen_ai.usage.output_tokens", usage.OutputTokens);
            activity?.SetTag("khaacho.ai.requests", observation.Requests);
            if (outcome != AiCallOutcome.Success)
            {
                activity?.SetTag("error.type", outcome);
                activity?.SetStatus(ActivityStatusCode.Error, error);
            }
            await recorder.RecordAsync(provider, orderId, outcome, usage, Stopwatch.GetElapsedTime(started), error);
        }
    }

    private static string Classify(Exception exception, ModelCallObservation observation)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BrokenCircuitException) return AiCallOutcome.CircuitOpen;
            if (e is TimeoutRejectedException or OperationCanceledException) return AiCallOutcome.Timeout;
        }
        return observation.LastStatus switch
        {
            401 or 403 => AiCallOutcome.AuthenticationFailed,
            >= 400 => AiCallOutcome.HttpError,
            _ when exception is HttpRequestException || exception.InnerException is HttpRequestException => AiCallOutcome.HttpError,
            _ => AiCallOutcome.Error,
        };
    }
}
