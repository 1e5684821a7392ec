using System.Text;
using Khaacho.Api.Auth;
using Khaacho.Ai;
using Khaacho.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Khaacho.Api.Orders;

public sealed record ParsePreviewRequest(string? Text);

public sealed record ParsePreviewItem(string ProductCode, string ProductName, int Quantity, string Unit, double Confidence, string SourceText);

public sealed record ParsePreview(IReadOnlyList<ParsePreviewItem> Items, IReadOnlyList<string> Unmatched, double Confidence, string Provider);

/// <summary><c>POST /api/v1/orders/parse</c>: what a chat order would become, before the retailer submits it.</summary>
public static class ParsePreviewApi
{
    public static IEndpointRouteBuilder MapParsePreviewApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/orders/parse", PreviewAsync).WithTags("Orders").WithName("PreviewParse")
            .WithSummary("Preview how a chat order is understood: items, quantities, confidence")
            .RequireAuthorization(Policies.RetailerOrAdmin).RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Ok<ParsePreview>, ValidationProblem>> PreviewAsync(
        ParsePreviewRequest request, OrderTextParser parser, IOptionsMonitor<AiOptions> options, CancellationToken cancellationToken)
    {
        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text) || Encoding.UTF8.GetByteCount(text) > OrderRequestRules.MaxTextBytes)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"The order text, 1 to {OrderRequestRules.MaxTextBytes} bytes."] });

        using var activity = KhaachoTelemetry.ActivitySource.StartActivity("order.parse_preview");
        // The same chain as the ai worker's, but a client is waiting: past the preview limit the offline parse answers.
        var parsed = await parser.ParseAsync(text, orderId: null, options.CurrentValue.PreviewTimeout, cancellationToken);
        activity?.SetTag("khaacho.parse.provider", parsed.Provider);
        return TypedResults.Ok(new ParsePreview(
            [.. parsed.Items.Select(i => new ParsePreviewItem(i.ProductCode, i.ProductName, i.Quantity, i.Unit, i.Confidence, i.SourceText))],
            parsed.Unmatched, parsed.Confidence, parsed.Provider));
    }
}
