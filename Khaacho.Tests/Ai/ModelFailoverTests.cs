using Khaacho.Ai;
using Khaacho.Core.Ai;
using Khaacho.Core.Data;
using Khaacho.Core.Parsing;
using Khaacho.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace Khaacho.Tests.Ai;

/// <summary>
/// The parse chain against stub providers on the real wire protocols, through Semantic Kernel, the OpenAI and
/// Anthropic SDKs and the real resilience handlers, with the started app's PostgreSQL (ai_calls) and Redis (cache, budget).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ModelFailoverTests(KhaachoAppFixture fixture) : IAsyncLifetime
{
    private const string Product = "NOODLE-WAIWAI-CTN";
    private static readonly string Answer = $$"""{"items":[{"productCode":"{{Product}}","quantity":5,"sourceText":"5 carton"}],"unmatched":[]}""";
    private readonly ModelStub openAi = new(anthropic: false) { Answer = Answer };
    private readonly ModelStub anthropic = new(anthropic: true) { Answer = Answer };
    private readonly ModelStub local = new(anthropic: false) { Answer = Answer };

    [Theory]
    [InlineData(ProviderNames.OpenAI)]
    [InlineData(ProviderNames.Anthropic)]
    [InlineData(ProviderNames.Local)]
    public async Task Each_provider_parses_alone_and_its_usage_and_cost_are_recorded(string provider)
    {
        await using var services = await ChainAsync(provider);
        var orderId = Guid.CreateVersion7();

        var parsed = await ParseAsync(services, orderId);

        Assert.Equal(provider, parsed.Provider);
        var item = Assert.Single(parsed.Items);
        Assert.Equal((Product, 5), (item.ProductCode, item.Quantity));
        Assert.Equal(1, Stub(provider).Requests);
        var call = Assert.Single(await CallsAsync(services, orderId));
        Assert.Equal((provider, AiCallOutcome.Success, ModelStub.InputTokens, ModelStub.OutputTokens), (call.Provider, call.Outcome, call.InputTokens, call.OutputTokens));
        // Prices under test: 1 USD per million input tokens, 2 per million output tokens.
        Assert.Equal((ModelStub.InputTokens * 1m + ModelStub.OutputTokens * 2m) / 1_000_000m, call.CostUsd);
        if (provider != ProviderNames.Local) Assert.EndsWith($"test-key-{provider}", Stub(provider).Authorizations.Single());
    }

    [Fact]
    public async Task Each_model_call_is_a_client_span_with_the_gen_ai_attributes()
    {
        await using var services = await ChainAsync("anthropic");
        var orderId = Guid.CreateVersion7();
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Microsoft.Extensions.Hosting.KhaachoTelemetry.ActivitySourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        await ParseAsync(services, orderId);

        var span = Assert.Single(spans, s => s.GetTagItem("khaacho.order_id") is Guid id && id == orderId);
        Assert.Equal(("chat stub-anthropic", System.Diagnostics.ActivityKind.Client), (span.DisplayName, span.Kind));
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("anthropic", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("stub-anthropic", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(ModelStub.InputTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(ModelStub.OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(AiCallOutcome.Success, span.GetTagItem("khaacho.ai.outcome"));
    }

    [Fact]
    public async Task A_failing_provider_opens_its_circuit_is_skipped_without_a_request_and_closes_after_the_break()
    {
        openAi.Default = new StubReply(Status: 500);
        await using var services = await ChainAsync("openai,local");
        var circuits = services.GetRequiredService<CircuitStates>();

        // Minimum throughput 2, failure ratio 0.5: two failed calls open the circuit.
        Assert.Equal(ProviderNames.Local, (await ParseAsync(services)).Provider);
        Assert.Equal(ProviderNames.Local, (await ParseAsync(services)).Provider);
        Assert.Equal(CircuitState.Open, circuits.State(ProviderNames.OpenAI));
        var sentWhileClosed = openAi.Requests;

        Assert.Equal(ProviderNames.Local, (await ParseAsync(services)).Provider);
        Assert.Equal(sentWhileClosed, openAi.Requests);

        openAi.Default = new StubReply();
        await Task.Delay(BreakDuration + TimeSpan.FromMilliseconds(500));
        Assert.Equal(ProviderNames.OpenAI, (await ParseAsync(services)).Provider);
        Assert.Equal(CircuitState.Closed, circuits.State(ProviderNames.OpenAI));
        Assert.Equal(sentWhileClosed + 1, openAi.Requests);
    }

    [Fact]
    public async Task With_every_provider_down_the_offline_parser_answers()
    {
        openAi.Default = anthropic.Default = local.Default = new StubReply(Status: 503);
        await using var services = await ChainAsync("openai,anthropic,local");
        var orderId = Guid.CreateVersion7();

        var parsed = await ParseAsync(services, orderId, text: "chini 3 bora, zzq 4 thing");

        Assert.Equal(OfflineOrderParser.ProviderName, parsed.Provider);
        Assert.Equal(["SUGAR-50KG"], parsed.Items.Select(i => i.ProductCode));
        Assert.Equal([AiCallOutcome.HttpError, AiCallOutcome.HttpError, AiCallOutcome.HttpError], (await CallsAsync(services, orderId)).Select(c => c.Outcome));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_time_its_Retry_After_names()
    {
        openAi.Then(new StubReply(Status: 429, RetryAfterSeconds: 1));
        await using var services = await ChainAsync("openai", maxRetries: 2);

        var parsed = await ParseAsync(services);

        Assert.Equal(ProviderNames.OpenAI, parsed.Provider);
        var times = openAi.RequestTimes;
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_fails_over()
    {
        openAi.Default = new StubReply(Delay: TimeSpan.FromSeconds(10));
        await using var services = await ChainAsync("openai,anthropic");
        var orderId = Guid.CreateVersion7();

        var parsed = await ParseAsync(services, orderId);

        Assert.Equal(ProviderNames.Anthropic, parsed.Provider);
        Assert.Equal([AiCallOutcome.Timeout, AiCallOutcome.Success], (await CallsAsync(services, orderId)).Select(c => c.Outcome));
    }

    [Fact]
    public async Task A_preview_past_its_limit_gets_the_offline_parse()
    {
        openAi.Default = new StubReply(Delay: TimeSpan.FromSeconds(10));
        await using var services = await ChainAsync("openai", attemptTimeout: "00:00:08", totalTimeout: "00:00:09");
        var parser = services.GetRequiredService<OrderTextParser>();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var parsed = await parser.ParseAsync("chini 3 bora, zzq 4 thing", orderId: null, limit: TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.Equal(OfflineOrderParser.ProviderName, parsed.Provider);
        Assert.Equal(["SUGAR-50KG"], parsed.Items.Select(i => i.ProductCode));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"answered after {started.Elapsed}");
    }

    [Theory]
    [InlineData("Sure! Here are your items: 5 cartons of Wai Wai.")]
    [InlineData("""{"items":[{"productCode":"NO-SUCH-PRODUCT","quantity":5,"sourceText":"5 carton"}],"unmatched":[]}""")]
    [InlineData("""{"items":[{"productCode":"NOODLE-WAIWAI-CTN","quantity":2.5,"sourceText":"5 carton"}],"unmatched":[]}""")]
    public async Task Output_that_is_not_the_schema_or_names_unknown_products_fails_over(string modelText)
    {
        openAi.Default = new StubReply(Content: modelText);
        await using var services = await ChainAsync("openai,local");
        var orderId = Guid.CreateVersion7();

        var parsed = await ParseAsync(services, orderId);

        Assert.Equal(ProviderNames.Local, parsed.Provider);
        Assert.Equal([AiCallOutcome.InvalidOutput, AiCallOutcome.Success], (await CallsAsync(services, orderId)).Select(c => c.Outcome));
    }

    [Fact]
    public async Task The_same_text_again_is_answered_from_the_cache_without_a_call()
    {
        await using var services = await ChainAsync("openai");
        var text = UnclearText();

        var first = await ParseAsync(services, text: text);
        var second = await ParseAsync(services, text: $"  {text.ToUpperInvariant()} ");

        Assert.Equal(first.Items, second.Items);
        Assert.Equal(1, openAi.Requests);
    }

    [Fact]
    public async Task Once_the_daily_budget_is_spent_no_model_is_called()
    {
        await using var services = await ChainAsync("openai", budgetUsd: "0");

        var parsed = await ParseAsync(services);

        Assert.Equal(OfflineOrderParser.ProviderName, parsed.Provider);
        Assert.Equal(0, openAi.Requests);
    }

    [Fact]
    public async Task A_provider_that_refuses_its_key_is_disabled_until_its_configuration_changes()
    {
        openAi.Default = new StubReply(Status: 401);
        await using var services = await ChainAsync("openai,local");

        Assert.Equal(ProviderNames.Local, (await ParseAsync(services)).Provider);
        Assert.Equal(ProviderNames.Local, (await ParseAsync(services)).Provider);

        Assert.Equal(1, openAi.Requests);
    }

    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(2);

    private ModelStub Stub(string provider) => provider switch
    {
        ProviderNames.OpenAI => openAi,
        ProviderNames.Anthropic => anthropic,
        _ => local,
    };

    private Task<ServiceProvider> ChainAsync(
        string order, int maxRetries = 0, string budgetUsd = "1000000", string attemptTimeout = "00:00:01", string totalTimeout = "00:00:05")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ai:ProviderOrder"] = order,
            ["Ai:DailyBudgetUsd"] = budgetUsd,
        };
        foreach (var provider in order.Split(','))
        {
            var prefix = $"Ai:Providers:{provider}:";
            settings[prefix + "Endpoint"] = Stub(provider).BaseUrl;
            settings[prefix + "Model"] = $"stub-{provider}";
            if (provider != ProviderNames.Local) settings[prefix + "ApiKey"] = $"test-key-{provider}";
            settings[prefix + "InputUsdPerMillionTokens"] = "1";
            settings[prefix + "OutputUsdPerMillionTokens"] = "2";
            settings[prefix + "Resilience:AttemptTimeout"] = attemptTimeout;
            settings[prefix + "Resilience:TotalTimeout"] = totalTimeout;
            settings[prefix + "Resilience:MaxRetryAttempts"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[prefix + "Resilience:RetryBaseDelay"] = "00:00:00.050";
            settings[prefix + "Resilience:MinimumThroughput"] = "2";
            settings[prefix + "Resilience:FailureRatio"] = "0.5";
            settings[prefix + "Resilience:SamplingDuration"] = "00:00:30";
            settings[prefix + "Resilience:BreakDuration"] = BreakDuration.ToString();
        }
        return InProcessServices.CreateAsync(fixture, settings: settings, configure: services => services.AddOrderTextParsing());
    }

    /// <summary>A text the offline parser cannot place, unique so no other test's cached answer applies.</summary>
    private static string UnclearText() => $"zzq{Guid.NewGuid():N} 5 carton";

    private static Task<ParsedOrder> ParseAsync(IServiceProvider services, Guid? orderId = null, string? text = null) =>
        services.GetRequiredService<OrderTextParser>().ParseAsync(text ?? UnclearText(), orderId ?? Guid.CreateVersion7(), limit: null, CancellationToken.None);

    private static async Task<List<AiCall>> CallsAsync(IServiceProvider services, Guid orderId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KhaachoDbContext>().AiCalls.AsNoTracking()
            .Where(c => c.OrderId == orderId).OrderBy(c => c.Id).ToListAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await openAi.DisposeAsync();
        await anthropic.DisposeAsync();
        await local.DisposeAsync();
    }
}
