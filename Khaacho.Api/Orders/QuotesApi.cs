using Khaacho.Ai;
using Khaacho.Api.Auth;
using Khaacho.Api.Catalog;
using Khaacho.Api.Hosting;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;
using Khaacho.Core.Orders.Quoting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Khaacho.Api.Orders;

public sealed record QuotedVendor(Guid Id, string Name);

public sealed record QuotedLine(string ProductCode, string ProductName, int Quantity, decimal UnitPrice, decimal LineTotal);

/// <summary>What was asked for and is not in the quote.</summary>
/// <param name="Reason"><c>no_single_vendor</c> (a product line: no vendor that supplies the quoted lines has it in that quantity) or <c>not_understood</c> (a part of the text).</param>
public sealed record UnquotedLine(string Reason, string? ProductCode = null, string? ProductName = null, int? Quantity = null, string? Text = null);

/// <summary>
/// What the order would cost now, from the vendor routing would choose; nothing is reserved. <see cref="Vendor"/> is null
/// when no vendor can supply any line. <see cref="WithinCredit"/>: the total is at most <see cref="AvailableCredit"/>.
/// </summary>
public sealed record OrderQuote(
    QuotedVendor? Vendor, IReadOnlyList<QuotedLine> Lines, decimal Subtotal, decimal Vat, decimal Total, string Currency,
    DateOnly? ExpectedDelivery, bool WithinCredit, decimal AvailableCredit, IReadOnlyList<UnquotedLine> Unquoted);

/// <summary><c>POST /api/v1/orders/quote</c>: the price of an order before it is placed, from the same quote the WhatsApp read-back uses.</summary>
public static class QuotesApi
{
    public const string NotUnderstood = "not_understood";
    public const string NoSingleVendor = "no_single_vendor";

    public static IEndpointRouteBuilder MapQuotesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/orders/quote", QuoteAsync).WithTags("Orders").WithName("QuoteOrder")
            .WithSummary("Price an order (items or chat text) without placing it: vendor, lines, VAT, total, expected delivery, credit")
            .RequireAuthorization(Policies.Retailer).RequireRateLimiting(RateLimits.PerUser)
            .Accepts<SubmitOrderRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Ok<OrderQuote>, ValidationProblem>> QuoteAsync(
        SubmitOrderRequest request, HttpContext http, CatalogCache catalog, OrderTextParser parser, IOptionsMonitor<AiOptions> ai,
        Quotes quotes, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        var (order, errors) = OrderRequestRules.Validate(request, snapshot);
        if (order is null) return TypedResults.ValidationProblem(errors, title: "The order is not valid");

        var products = order.Lines.ToDictionary(l => l.Product.Id, l => (l.Product.Code, l.Product.Name));
        var lines = order.Lines.Select(l => (l.Product.Id, l.Quantity)).ToList();
        var unquoted = new List<UnquotedLine>();
        if (order.Text is { } text)
        {
            // The preview's parse, with its time limit: a client is waiting.
            var parsed = await parser.ParseAsync(text, orderId: null, ai.CurrentValue.PreviewTimeout, cancellationToken);
            lines = [.. parsed.Items.Select(i => (i.ProductId, i.Quantity))];
            foreach (var item in parsed.Items) products.TryAdd(item.ProductId, (item.ProductCode, item.ProductName));
            unquoted.AddRange(parsed.Unmatched.Select(t => new UnquotedLine(NotUnderstood, Text: t)));
        }

        var result = await quotes.QuoteAsync(db, CurrentUser.From(http.User).RetailerId!.Value, lines, order.VendorId, cancellationToken);
        unquoted.InsertRange(0, result.NoSingleVendor.Select(l => new UnquotedLine(NoSingleVendor, products[l.ProductId].Code, products[l.ProductId].Name, l.Quantity)));
        var quote = result.Quote;
        var priced = quote?.Priced;
        var total = priced?.Total ?? 0m;
        return TypedResults.Ok(new OrderQuote(
            quote is null ? null : new QuotedVendor(quote.VendorId, quote.VendorName),
            [.. (priced?.Lines ?? []).Select(l => new QuotedLine(products[l.ProductId].Code, products[l.ProductId].Name, l.Quantity, l.UnitPrice, l.LineTotal))],
            priced?.Subtotal ?? 0m, priced?.Vat ?? 0m, total, Order.DefaultCurrency, quote?.ExpectedDelivery,
            total <= result.AvailableCredit, result.AvailableCredit, unquoted));
    }
}
