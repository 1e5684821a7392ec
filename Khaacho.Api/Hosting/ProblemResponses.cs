using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Khaacho.Api.Hosting;

/// <summary>
/// Every <see cref="ProblemDetails"/> a handler returns goes out as <c>application/problem+json</c> through the
/// problem details service (with its traceId), whatever result type carried it: <c>TypedResults.NotFound(problem)</c>
/// alone would write it as plain <c>application/json</c>.
/// </summary>
internal static class ProblemResponses
{
    private const string JsonAccept = "application/problem+json, application/json";

    /// <summary>
    /// The api speaks only JSON. A client that asks for something else (Accept: text/html) still gets its error as
    /// problem+json: the problem details writer would otherwise decline, and the status code page fall back to text/plain.
    /// </summary>
    public static IApplicationBuilder UseJsonProblemsWhateverTheAcceptHeader(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (!AcceptsJson(context.Request.Headers.Accept.ToString())) context.Request.Headers.Accept = JsonAccept;
        return next(context);
    });

    private static bool AcceptsJson(string accept) =>
        accept.Length == 0 || accept.Contains("json", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal)
        || accept.Contains("application/*", StringComparison.OrdinalIgnoreCase);

    public static RouteGroupBuilder WithProblemResponses(this RouteGroupBuilder group) => group.AddEndpointFilter(async (context, next) =>
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        return inner is IValueHttpResult { Value: ProblemDetails problem } and not (ProblemHttpResult or ValidationProblem)
            ? TypedResults.Problem(problem)
            : result;
    });
}
