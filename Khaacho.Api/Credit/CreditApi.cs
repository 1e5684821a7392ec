using Khaacho.Api.Auth;
using Khaacho.Api.Hosting;
using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Credit;

/// <summary>A retailer's credit: balances, limit and terms, holds, and their audit trail.</summary>
public static class CreditApi
{
    public static IEndpointRouteBuilder MapCreditApi(this IEndpointRouteBuilder app)
    {
        var api = RetailerGroup(app);
        api.MapGet("/credit", GetAsync).WithName("GetRetailerCredit").RequireAuthorization(Policies.RetailerOrStaff)
            .WithSummary("A retailer's limit, outstanding, reserved and available credit, terms and hold (a retailer sees its own)");
        api.MapPut("/credit", SetTermsAsync).WithName("SetRetailerCredit").RequireAuthorization(Policies.Admin)
            .WithSummary("Set a retailer's credit limit and payment terms (audited)").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/credit/block", BlockAsync).WithName("BlockRetailer").RequireAuthorization(Policies.Staff)
            .WithSummary("Put a retailer's credit on hold: its new orders fail with the reason (audited)").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/credit/unblock", UnblockAsync).WithName("UnblockRetailer").RequireAuthorization(Policies.Staff)
            .WithSummary("Lift a retailer's credit hold (audited)").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/credit/changes", ChangesAsync).WithName("ListRetailerCreditChanges").RequireAuthorization(Policies.Staff)
            .WithSummary("The audit trail of a retailer's limit, terms and holds, newest first");
        return app;
    }

    /// <summary>Routes under <c>/api/v1/retailers/{retailerId}</c>, tagged Credit, rate limited per user.</summary>
    internal static RouteGroupBuilder RetailerGroup(IEndpointRouteBuilder app) =>
        app.MapGroup("/api/v1/retailers/{retailerId}").WithTags("Credit").RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>Staff see every retailer; a retailer only itself. Anything else (or not a uuid) is not found, not forbidden.</summary>
    internal static bool TryGetVisible(string retailerId, HttpContext http, out Guid id) =>
        Guid.TryParse(retailerId, out id) && CurrentUser.From(http.User) is var user
        && (user.Role is UserRole.Admin or UserRole.Operator || user.RetailerId == id);

    internal static NotFound<ProblemDetails> RetailerNotFound(string retailerId) => TypedResults.NotFound(new ProblemDetails
    {
        Status = 404, Title = "Retailer not found", Detail = $"No retailer '{retailerId}' that you may see.",
    });

    private static async Task<Results<Ok<CreditView>, NotFound<ProblemDetails>>> GetAsync(
        string retailerId, HttpContext http, KhaachoDbContext db, CancellationToken cancellationToken) =>
        TryGetVisible(retailerId, http, out var id) && await ViewAsync(db, id, cancellationToken) is { } view ? TypedResults.Ok(view) : RetailerNotFound(retailerId);

    private static async Task<Results<Ok<CreditView>, NotFound<ProblemDetails>, ValidationProblem>> SetTermsAsync(
        string retailerId, CreditTermsRequest request, HttpContext http, CreditAccounts accounts, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!TryGetVisible(retailerId, http, out var id)) return RetailerNotFound(retailerId);
        if (CreditRules.Terms(request) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The credit terms are not valid");
        return await accounts.SetTermsAsync(id, request.CreditLimit!.Value, request.PaymentTermsDays!.Value, request.Reason!.Trim(), CurrentUser.From(http.User), cancellationToken)
            ? TypedResults.Ok((await ViewAsync(db, id, cancellationToken))!) : RetailerNotFound(retailerId);
    }

    private static Task<Results<Ok<CreditView>, NotFound<ProblemDetails>, ValidationProblem>> BlockAsync(
        string retailerId, ReasonRequest request, HttpContext http, CreditAccounts accounts, KhaachoDbContext db, CancellationToken cancellationToken) =>
        SetBlockedAsync(retailerId, true, request, http, accounts, db, cancellationToken);

    private static Task<Results<Ok<CreditView>, NotFound<ProblemDetails>, ValidationProblem>> UnblockAsync(
        string retailerId, ReasonRequest request, HttpContext http, CreditAccounts accounts, KhaachoDbContext db, CancellationToken cancellationToken) =>
        SetBlockedAsync(retailerId, false, request, http, accounts, db, cancellationToken);

    private static async Task<Results<Ok<CreditView>, NotFound<ProblemDetails>, ValidationProblem>> SetBlockedAsync(
        string retailerId, bool blocked, ReasonRequest request, HttpContext http, CreditAccounts accounts, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!TryGetVisible(retailerId, http, out var id)) return RetailerNotFound(retailerId);
        if (CreditRules.Reason(request.Reason) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "A reason is needed");
        return await accounts.SetBlockedAsync(id, blocked, request.Reason!.Trim(), CurrentUser.From(http.User), cancellationToken)
            ? TypedResults.Ok((await ViewAsync(db, id, cancellationToken))!) : RetailerNotFound(retailerId);
    }

    private static async Task<Results<Ok<List<CreditChangeView>>, NotFound<ProblemDetails>>> ChangesAsync(
        string retailerId, HttpContext http, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!TryGetVisible(retailerId, http, out var id) || !await db.Retailers.AnyAsync(r => r.Id == id, cancellationToken)) return RetailerNotFound(retailerId);
        var changes = await db.CreditChanges.AsNoTracking().Where(c => c.RetailerId == id).OrderByDescending(c => c.At).ThenBy(c => c.Kind).Take(500)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(changes.Select(c => new CreditChangeView(Core.Orders.WireNames.ToWire(c.Kind), c.Before, c.After, c.Reason, c.Actor, c.At)).ToList());
    }

    internal static async Task<CreditView?> ViewAsync(KhaachoDbContext db, Guid retailerId, CancellationToken cancellationToken) =>
        await db.Retailers.AsNoTracking().Where(r => r.Id == retailerId).SingleOrDefaultAsync(cancellationToken) is { } r ? CreditView.From(r) : null;
}
