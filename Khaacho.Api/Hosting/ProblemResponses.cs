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
    public static RouteGroupBuilder WithProblemResponses(this RouteGroupBuilder group) => group.AddEndpointFilter(async (context, next) =>
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        return inner is IValueHttpResult { Value: ProblemDetails problem } and not (ProblemHttpResult or ValidationProblem)
            ? TypedResults.Problem(problem)
            : result;
    });
}
