using System.Globalization;
using System.Text;
using CsvHelper;
using Khaacho.Api.Auth;
using Khaacho.Api.Hosting;
using Khaacho.Core.Credit;
using Khaacho.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Khaacho.Api.Credit;

/// <summary>Statements (JSON and CSV), ageing per retailer and for everyone, and the reconciliation check, for staff and the retailer itself.</summary>
public static class StatementsApi
{
    public const string CsvContentType = "text/csv";

    public static IEndpointRouteBuilder MapStatementsApi(this IEndpointRouteBuilder app)
    {
        var retailer = CreditApi.RetailerGroup(app).RequireAuthorization(Policies.RetailerOrStaff);
        retailer.MapGet("/statement", StatementAsync).WithName("GetStatement").ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("A retailer's khata for Nepal days from..to (default: this month so far): opening, entries, closing");
        retailer.MapGet("/statement.csv", StatementCsvAsync).WithName("GetStatementCsv").ProducesProblem(StatusCodes.Status400BadRequest)
            .Produces<string>(StatusCodes.Status200OK, CsvContentType)
            .WithSummary("The same statement as CSV (UTF-8 with BOM, RFC 4180) for a spreadsheet");
        retailer.MapGet("/ageing", RetailerAgeingAsync).WithName("GetRetailerAgeing").ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("What a retailer owes by age, 0–30, 31–60, 61–90 and over 90 days, as of a Nepal day (default today)");

        var credit = app.MapGroup("/api/v1/credit").WithTags("Credit").RequireAuthorization(Policies.Staff).RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        credit.MapGet("/ageing", AgeingAsync).WithName("GetAgeing").ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Every retailer's ageing and the total, the longest overdue first");
        credit.MapGet("/reconciliation", ReconcileAsync).WithName("ReconcileCredit")
            .WithSummary("Retailers whose balances disagree with the ledger or their open orders (none, normally)");
        return app;
    }

    private static async Task<Results<Ok<StatementView>, NotFound<ProblemDetails>, ValidationProblem>> StatementAsync(
        string retailerId, string? from, string? to, HttpContext http, Statements statements, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!CreditApi.TryGetVisible(retailerId, http, out var id)) return CreditApi.RetailerNotFound(retailerId);
        if (!TryPeriod(from, to, NepalTime.DayOf(clock.GetUtcNow()), out var period, out var errors)) return TypedResults.ValidationProblem(errors, title: "The period is not valid");
        var statement = await statements.ForAsync(id, period.From, period.To, cancellationToken);
        return statement is null ? CreditApi.RetailerNotFound(retailerId) : TypedResults.Ok(StatementView.Of(statement));
    }

    private static async Task<Results<ContentHttpResult, NotFound<ProblemDetails>, ValidationProblem>> StatementCsvAsync(
        string retailerId, string? from, string? to, HttpContext http, Statements statements, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!CreditApi.TryGetVisible(retailerId, http, out var id)) return CreditApi.RetailerNotFound(retailerId);
        if (!TryPeriod(from, to, NepalTime.DayOf(clock.GetUtcNow()), out var period, out var errors)) return TypedResults.ValidationProblem(errors, title: "The period is not valid");
        var statement = await statements.ForAsync(id, period.From, period.To, cancellationToken);
        if (statement is null) return CreditApi.RetailerNotFound(retailerId);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"statement-{statement.RetailerCode}-{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.csv\"";
        // A byte order mark first: spreadsheets read a CSV without one in the machine's code page and garble Devanagari.
        return TypedResults.Text("\uFEFF" + StatementCsv.Write(statement), CsvContentType, Encoding.UTF8);
    }

    private static async Task<Results<Ok<RetailerAgeingView>, NotFound<ProblemDetails>, ValidationProblem>> RetailerAgeingAsync(
        string retailerId, string? asOf, HttpContext http, Statements statements, KhaachoDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!CreditApi.TryGetVisible(retailerId, http, out var id)) return CreditApi.RetailerNotFound(retailerId);
        if (!TryDay(asOf, NepalTime.DayOf(clock.GetUtcNow()), out var day, out var errors)) return TypedResults.ValidationProblem(errors, title: "asOf is not valid");
        var ageing = await statements.AgeingAsync(day, id, cancellationToken);
        return ageing.SingleOrDefault() is { } one ? TypedResults.Ok(RetailerAgeingView.From(one)) : CreditApi.RetailerNotFound(retailerId);
    }

    private static async Task<Results<Ok<AgeingReport>, ValidationProblem>> AgeingAsync(string? asOf, Statements statements, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!TryDay(asOf, NepalTime.DayOf(clock.GetUtcNow()), out var day, out var errors)) return TypedResults.ValidationProblem(errors, title: "asOf is not valid");
        var ageing = await statements.AgeingAsync(day, null, cancellationToken);
        var total = ageing.Aggregate(AgeingBuckets.Zero, (sum, a) => sum.Add(a.Buckets));
        return TypedResults.Ok(new AgeingReport(day, [.. ageing.Select(RetailerAgeingView.From)], AgeingView.From(total), ageing.Sum(a => a.Overdue)));
    }

    private static async Task<Ok<ReconciliationReport>> ReconcileAsync(KhaachoDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ReconciliationReport(clock.GetUtcNow(), await CreditReconciliation.FindMismatchesAsync(db, cancellationToken)));

    private static bool TryPeriod(string? from, string? to, DateOnly today, out (DateOnly From, DateOnly To) period, out Dictionary<string, string[]> errors)
    {
        errors = [];
        period = default;
        if (!TryDay(to, today, out var end, out var toErrors)) errors["to"] = toErrors["asOf"];
        if (!TryDay(from, new DateOnly(end.Year, end.Month, 1), out var start, out var fromErrors)) errors["from"] = fromErrors["asOf"];
        if (errors.Count == 0 && (start > end || end.DayNumber - start.DayNumber >= Statements.MaxDays))
            errors["from"] = [$"On or before 'to', and at most {Statements.MaxDays} days before it."];
        period = (start, end);
        return errors.Count == 0;
    }

    private static bool TryDay(string? value, DateOnly fallback, out DateOnly day, out Dictionary<string, string[]> errors)
    {
        errors = [];
        day = fallback;
        if (value is null) return true;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && day.Year is >= 2000 and <= 2999) return true;
        errors["asOf"] = ["A date as yyyy-MM-dd (a Nepal day)."];
        return false;
    }
}

/// <summary>
/// The statement as CSV: one header row, then opening, the entries and closing, amounts as numbers with two decimals.
/// Text that a spreadsheet would run as a formula (a description starting with '=') is escaped.
/// </summary>
internal static class StatementCsv
{
    public static readonly string[] Columns = ["Date", "Time", "Kind", "Reference", "Description", "Debit", "Credit", "Balance"];

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };

    public static string Write(Statement statement)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            csv.WriteHeader(Columns);
            Row(csv, statement.From, null, "opening", null, "Opening balance", null, null, statement.Opening);
            foreach (var line in statement.Lines)
                Row(csv, DateOnly.FromDateTime(line.At.DateTime), line.At, Core.Orders.WireNames.ToWire(line.Kind), line.Reference, line.Description, line.Debit, line.Credit, line.Balance);
            Row(csv, statement.To, null, "closing", null, "Closing balance", statement.TotalDebits, statement.TotalCredits, statement.Closing);
        }
        return text.ToString();
    }

    private static void Row(CsvWriter csv, DateOnly date, DateTimeOffset? at, string kind, string? reference, string description, decimal? debit, decimal? credit, decimal balance)
    {
        csv.WriteField(date, "yyyy-MM-dd");
        csv.WriteField(at?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "");
        csv.WriteField(kind);
        csv.WriteField(reference ?? "");
        csv.WriteField(description);
        Amount(csv, debit);
        Amount(csv, credit);
        Amount(csv, balance);
        csv.EndRecord();
    }

    private static void Amount(CsvWriter csv, decimal? amount)
    {
        if (amount is { } value) csv.WriteField(value, "0.00");
        else csv.WriteField("");
    }
}
