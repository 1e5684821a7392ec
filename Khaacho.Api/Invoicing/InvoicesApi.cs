using Khaacho.Api.Auth;
using Khaacho.Api.Hosting;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Khaacho.Core.Invoicing;
using Khaacho.Core.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Invoicing;

/// <summary>
/// An order's VAT invoice, as JSON and as PDF, for whoever may see the order (its retailer, the vendor it was routed
/// to, admins and operators). The PDF has a path of its own: the api answers JSON whatever the Accept header says.
/// </summary>
public static class InvoicesApi
{
    public const string PdfContentType = "application/pdf";

    public static IEndpointRouteBuilder MapInvoicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/orders").WithTags("Invoices").RequireAuthorization().RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/{id}/invoice", GetAsync).WithName("GetOrderInvoice")
            .WithSummary("The order's VAT invoice (issued when it is delivered): seller, buyer, lines, taxable amount, 13% VAT, total in figures and words");
        api.MapGet("/{id}/invoice.pdf", GetPdfAsync).WithName("GetOrderInvoicePdf")
            .WithSummary("The order's VAT invoice as an A4 PDF")
            .Produces<byte[]>(StatusCodes.Status200OK, PdfContentType);
        return app;
    }

    private static async Task<Results<Ok<InvoiceView>, NotFound<ProblemDetails>>> GetAsync(
        string id, HttpContext http, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        var (invoice, notFound) = await FindAsync(id, http, db, cancellationToken);
        return invoice is null ? notFound! : TypedResults.Ok(InvoiceView.From(invoice));
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> GetPdfAsync(
        string id, HttpContext http, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        var (invoice, notFound) = await FindAsync(id, http, db, cancellationToken);
        if (invoice is null) return notFound!;
        var pdf = InvoicePdf.Render(InvoiceView.From(invoice));
        return TypedResults.File(pdf, PdfContentType, $"invoice-{invoice.Number.Replace('/', '-')}.pdf");
    }

    private static async Task<(Invoice?, NotFound<ProblemDetails>?)> FindAsync(string id, HttpContext http, KhaachoDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId) || !OrderIds.TryGetCreatedAt(orderId, out var createdAt))
            return (null, OrderNotFound(id));
        var visible = await db.Orders.AsNoTracking().WithId(orderId, createdAt).VisibleTo(CurrentUser.From(http.User)).AnyAsync(cancellationToken);
        if (!visible) return (null, OrderNotFound(id));
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.OrderId == orderId, cancellationToken);
        return invoice is null
            ? (null, TypedResults.NotFound(new ProblemDetails
            {
                Status = 404, Title = "No invoice yet", Detail = $"Order '{id}' has no invoice: one is issued when the order is delivered.",
            }))
            : (invoice, null);
    }

    private static NotFound<ProblemDetails> OrderNotFound(string id) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Order not found", Detail = $"No order '{id}' that you can see." });
}
