using Khaacho.Api.Auth;
using Khaacho.Api.Hosting;
using Khaacho.Api.Orders;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;
using Khaacho.Core.Review;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Review;

/// <summary>The review queue: risk-flagged orders waiting for staff (admins and operators) to approve or reject them.</summary>
public static class ReviewApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Review").RequireAuthorization(Policies.Staff).RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/review/orders", ListAsync).WithName("ListOrdersAwaitingReview")
            .WithSummary("Orders awaiting review, oldest first, with their retailer, estimate, risk score, reasons and deadline");
        api.MapPost("/orders/{id}/review", DecideAsync).WithName("ReviewOrder").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Approve a risk-flagged order (it goes on to confirmation) or reject it with a reason the retailer reads");
        return app;
    }

    private static async Task<Results<Ok<ReviewQueuePage>, ValidationProblem>> ListAsync(
        KhaachoDbContext db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        (DateTimeOffset Since, Guid Id)? after = null;
        if (cursor is not null)
        {
            if (OrderCursor.TryDecode(cursor, out var position)) after = position;
            else errors["cursor"] = ["Not a cursor this API returned."];
        }
        var pageSize = limit ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize) errors["limit"] = [$"Between 1 and {MaxPageSize}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        // The filter and order of ix_orders_awaiting_review, so the queue is read from that small index.
        var orders = after is { } a
            ? db.Orders.FromSql($"SELECT * FROM orders WHERE status = 'awaiting_review' AND (awaiting_review_at, id) > ({a.Since}, {a.Id})")
            : db.Orders.Where(o => o.Status == OrderStatus.AwaitingReview);
        var rows = await orders.AsNoTracking().Where(o => o.Status == OrderStatus.AwaitingReview)
            .OrderBy(o => o.AwaitingReviewAt).ThenBy(o => o.Id).Take(pageSize + 1)
            .Join(db.Retailers, o => o.RetailerId, r => r.Id, (o, r) => new
            {
                o.Id, o.OrderNumber, o.RetailerId, r.ShopName, r.Code, o.Currency, o.RiskScore, o.RiskReasons, o.AwaitingReviewAt, o.ReviewDeadline, o.UpdatedAt,
                // What the risk score weighed: the items at their MRP. The vendor's price and VAT are set at confirmation.
                Estimate = db.OrderItems.Where(i => i.OrderId == o.Id && i.CreatedAt == o.CreatedAt)
                    .Join(db.Products, i => i.ProductId, p => p.Id, (i, p) => i.Quantity * p.Mrp).Sum(),
            })
            .OrderBy(x => x.AwaitingReviewAt).ThenBy(x => x.Id)
            .ToListAsync(cancellationToken);
        // The pipeline stamps both times with the hold; a row written by hand without them still lists rather than fail.
        var page = rows.Select(x => new ReviewQueueItem(x.Id, x.OrderNumber, x.RetailerId, x.ShopName, x.Code, x.Estimate, x.Currency,
            x.RiskScore ?? 0, x.RiskReasons, x.AwaitingReviewAt ?? x.UpdatedAt, x.ReviewDeadline ?? x.AwaitingReviewAt ?? x.UpdatedAt)).ToList();
        var next = page.Count > pageSize && rows[pageSize - 1].AwaitingReviewAt is { } since ? OrderCursor.Encode(since, page[pageSize - 1].OrderId) : null;
        return TypedResults.Ok(new ReviewQueuePage([.. page.Take(pageSize)], next));
    }

    private static async Task<Results<Ok<OrderStatusResponse>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string id, ReviewDecisionRequest request, HttpContext http, OrderReviews reviews, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!WireNames.TryParse<ReviewDecision>(request.Decision, out var decision))
            errors["decision"] = [$"One of: {string.Join(", ", WireNames.All<ReviewDecision>())}."];
        if (request.Reason is { Length: > OrderReviews.MaxReasonLength })
            errors["reason"] = [$"At most {OrderReviews.MaxReasonLength} characters."];
        else if (decision == ReviewDecision.Reject && string.IsNullOrWhiteSpace(request.Reason))
            errors["reason"] = ["A rejection needs a reason: the retailer reads it."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The review decision is not valid");
        if (!OrdersApi.TryParseOrderId(id, out var orderId, out var createdAt)) return OrdersApi.NotFound(id);

        var actor = CurrentUser.From(http.User).Actor;
        var (outcome, from, order) = await reviews.DecideAsync(actor, orderId, createdAt, decision, request.Reason, cancellationToken);
        return outcome switch
        {
            ReviewOutcome.Decided => TypedResults.Ok(OrderStatusView.From(order!)),
            ReviewOutcome.NotFound => OrdersApi.NotFound(id),
            ReviewOutcome.NotAwaitingReview => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The order is not awaiting review",
                detail: $"The order is {from.ToWire()}; only an order that is {OrderStatus.AwaitingReview.ToWire()} can be approved or rejected."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The order changed meanwhile",
                detail: "Someone else moved this order first; read it again."),
        };
    }
}

/// <summary>Body of <c>POST /api/v1/orders/{id}/review</c>.</summary>
/// <param name="Decision"><c>approve</c> or <c>reject</c>.</param>
/// <param name="Reason">Why: required to reject (the retailer reads it), at most 500 characters.</param>
public sealed record ReviewDecisionRequest(string? Decision, string? Reason = null);

/// <param name="RetailerName">The retailer's shop name.</param>
/// <param name="EstimatedTotal">The items at their MRP, before VAT: the value the risk score weighed (the vendor's price is set at confirmation).</param>
/// <param name="AwaitingReviewSince">When the order was held for review: the queue's order.</param>
/// <param name="ReviewDeadline">When the order fails as <c>review_expired</c> if nobody decides.</param>
public sealed record ReviewQueueItem(
    Guid OrderId, string OrderNumber, Guid RetailerId, string RetailerName, string RetailerCode, decimal EstimatedTotal, string Currency,
    int RiskScore, IReadOnlyList<string> RiskReasons, DateTimeOffset AwaitingReviewSince, DateTimeOffset ReviewDeadline);

public sealed record ReviewQueuePage(IReadOnlyList<ReviewQueueItem> Orders, string? NextCursor);
