using System.Security.Cryptography;
using System.Text.Json;
using Khaacho.Api.Auth;
using Khaacho.Api.Catalog;
using Khaacho.Api.Hosting;
using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Orders;

public static class OrdersApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 255;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/orders").WithTags("Orders").RequireAuthorization().RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/", SubmitAsync).WithName("SubmitOrder").RequireAuthorization(Policies.Retailer)
            .WithSummary("Submit an order (items or chat text); answers 202 and processes it in the background")
            .Accepts<SubmitOrderRequest>("application/json")
            .WithResponseHeader(StatusCodes.Status202Accepted, "Location", "The order's statusUrl.")
            .WithResponseHeader(StatusCodes.Status202Accepted, "Idempotent-Replayed",
                "'true' when this is the first answer again: a retry with the same Idempotency-Key and body.", required: false)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/{id}/status", GetStatusAsync).WithName("GetOrderStatus").WithSummary("Where an accepted order is in the pipeline");
        api.MapGet("/{id}", GetOrderAsync).WithName("GetOrder").WithSummary("An order with its items, totals and status history");
        api.MapGet("/", ListOrdersAsync).WithName("ListOrders").WithSummary("Orders the caller may see, newest first, with keyset pagination");
        api.MapPatch("/{id}/status", ChangeStatusAsync).WithName("ChangeOrderStatus").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Move an order through its lifecycle: vendors accept, reject, dispatch, deliver; retailers cancel, complete; admins any legal move");
        return app;
    }

    private static async Task<Results<Accepted<OrderAccepted>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        SubmitOrderRequest request, HttpContext http, CatalogCache catalog, OrderIntake intake,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(http.User);
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyHeader] = [$"1 to {MaxIdempotencyKeyLength} characters."] });

        var (order, errors) = OrderRequestRules.Validate(request, await catalog.GetAsync(cancellationToken));
        if (order is null) return TypedResults.ValidationProblem(errors, title: "The order is not valid");

        var claim = idempotencyKey is null ? null : new IdempotencyClaim(user.UserId, idempotencyKey, HashOf(request), StatusCodes.Status202Accepted,
            id => JsonSerializer.Serialize(OrderAccepted.For(id, order.Text is not null), ApiJsonContext.Default.OrderAccepted));
        var submission = new OrderSubmission(
            user.RetailerId!.Value, user.Actor, [.. order.Lines.Select(l => (l.Product.Id, l.Quantity))], order.Text, order.Notes, order.VendorId, order.Priority);
        switch (await intake.SubmitAsync(submission, claim, cancellationToken))
        {
            case IntakeResult.Accepted accepted:
                var response = OrderAccepted.For(accepted.Order.Id, order.Text is not null);
                return TypedResults.Accepted(response.StatusUrl, response);
            case IntakeResult.Duplicate { Record: var record } when record.RequestHash == claim!.RequestHash:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                var replayed = JsonSerializer.Deserialize(record.ResponseBody, ApiJsonContext.Default.OrderAccepted)!;
                return TypedResults.Accepted(replayed.StatusUrl, replayed);
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                    detail: "This Idempotency-Key was already used for a different order; use a new key for a new order.");
        }
    }

    /// <param name="id">The jobId that POST /orders answered, which is the order's id.</param>
    private static async Task<Results<Ok<OrderStatusResponse>, NotFound<ProblemDetails>>> GetStatusAsync(
        string id, HttpContext http, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!TryParseOrderId(id, out var orderId, out var createdAt)) return NotFound(id);
        var order = await db.Orders.AsNoTracking().WithId(orderId, createdAt).VisibleTo(CurrentUser.From(http.User)).FirstOrDefaultAsync(cancellationToken);
        return order is null ? NotFound(id) : TypedResults.Ok(OrderStatusView.From(order));
    }

    private static async Task<Results<Ok<OrderDetail>, NotFound<ProblemDetails>>> GetOrderAsync(
        string id, HttpContext http, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!TryParseOrderId(id, out var orderId, out var createdAt)) return NotFound(id);
        var order = await db.Orders.AsNoTracking().Include(o => o.Items).WithId(orderId, createdAt)
            .VisibleTo(CurrentUser.From(http.User)).FirstOrDefaultAsync(cancellationToken);
        if (order is null) return NotFound(id);
        var history = await db.OrderStatusHistory.AsNoTracking()
            .Where(h => h.OrderId == orderId && h.CreatedAt == createdAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(OrderDetail.From(order, history));
    }

    private static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListOrdersAsync(
        HttpContext http, KhaachoDbContext db, string? status, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        OrderStatus parsedStatus = default;
        if (status is not null && !WireNames.TryParse(status, out parsedStatus))
            errors["status"] = [$"One of: {string.Join(", ", WireNames.All<OrderStatus>())}."];
        (DateTimeOffset CreatedAt, Guid Id)? after = null;
        if (cursor is not null)
        {
            if (OrderCursor.TryDecode(cursor, out var position)) after = position;
            else errors["cursor"] = ["Not a cursor this API returned."];
        }
        var pageSize = limit ?? 20;
        if (pageSize is < 1 or > 100) errors["limit"] = ["Between 1 and 100."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var orders = after is { } a
            ? db.Orders.FromSql($"SELECT * FROM orders WHERE (created_at, id) < ({a.CreatedAt}, {a.Id})")
            : db.Orders;
        var query = orders.AsNoTracking().VisibleTo(CurrentUser.From(http.User));
        if (status is not null) query = query.Where(o => o.Status == parsedStatus);
        // Any offset is a valid instant (Nepal is +05:45); PostgreSQL's driver takes timestamptz in UTC only.
        if (from?.ToUniversalTime() is { } f) query = query.Where(o => o.CreatedAt >= f);
        if (to?.ToUniversalTime() is { } t) query = query.Where(o => o.CreatedAt < t);
        var page = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(pageSize + 1)
            .Select(o => new OrderSummary(o.Id, o.OrderNumber, o.Status.ToWire(), o.Source.ToWire(), o.RetailerId, o.VendorId, o.Total, o.Currency, o.CreatedAt))
            .ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? OrderCursor.Encode(page[pageSize - 1].CreatedAt, page[pageSize - 1].Id) : null;
        return TypedResults.Ok(new OrderPage(page.Take(pageSize).ToList(), next));
    }

    private static async Task<Results<Ok<OrderStatusResponse>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> ChangeStatusAsync(
        string id, ChangeOrderStatusRequest request, HttpContext http, OrderStatusChanges changes,
        CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(http.User);
        if (!WireNames.TryParse<OrderStatus>(request.Status, out var to))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"One of: {string.Join(", ", WireNames.All<OrderStatus>())}."] });
        if (request.Reason is { Length: > 1000 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["At most 1000 characters."] });
        if (!TryParseOrderId(id, out var orderId, out var createdAt)) return NotFound(id);

        var (outcome, from, order) = await changes.ChangeAsync(user, orderId, createdAt, to, request.Reason, cancellationToken);
        switch (outcome)
        {
            case StatusChangeOutcome.NotFound:
                return NotFound(id);
            case StatusChangeOutcome.Forbidden:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed for your role",
                    detail: $"A {user.Role.ToWire()} cannot move an order that is {from.ToWire()} to {to.ToWire()}.");
            case StatusChangeOutcome.Illegal:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Illegal status change",
                    detail: $"The order is {from.ToWire()}; from there it can move to: {string.Join(", ", OrderStateMachine.NextStates(from).Select(s => s.ToWire()))}.");
            case StatusChangeOutcome.Concurrent:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The order changed meanwhile",
                    detail: "Someone else moved this order first; read it again and retry.");
        }
        return TypedResults.Ok(OrderStatusView.From(order!));
    }

    internal static bool TryParseOrderId(string value, out Guid id, out DateTimeOffset createdAt)
    {
        createdAt = default;
        return Guid.TryParse(value, out id) && OrderIds.TryGetCreatedAt(id, out createdAt);
    }

    internal static NotFound<ProblemDetails> NotFound(string id) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Order not found", Detail = $"No order '{id}' that you can see." });

    /// <summary>The request as the server understood it: a retry with the same meaning hashes the same, whatever its whitespace.</summary>
    private static string HashOf(SubmitOrderRequest request) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.SubmitOrderRequest)));
}
