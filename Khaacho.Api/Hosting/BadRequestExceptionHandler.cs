using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Khaacho.Api.Hosting;

/// <summary>
/// Turns request-binding failures (malformed JSON, a refused string, wrong content type, body too large) into
/// problem+json with their own 4xx status; a body that is JSON but wrong somewhere names that field in <c>errors</c>,
/// keyed like the validation errors ("items[0].quantity"). Without it, ThrowOnBadRequest would surface them as 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        context.Response.StatusCode = bad.StatusCode;
        // The JSON reader's message names the path and position of the problem: useful to the client, no internals.
        var detail = bad.InnerException?.Message ?? bad.Message;
        var problem = bad.InnerException is JsonException { Path: { } path } json
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [FieldOf(path)] = [WithoutPosition(json.Message)] })
            : new Microsoft.AspNetCore.Mvc.ProblemDetails();
        problem.Status = bad.StatusCode;
        problem.Detail = detail;
        problem.Title = bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => "Request body too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported content type; send application/json",
            _ when problem is HttpValidationProblemDetails => "The request body is not valid",
            _ => "Malformed request",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>"$.items[0].quantity" as "items[0].quantity"; the body itself is "$".</summary>
    private static string FieldOf(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string WithoutPosition(string message) =>
        message.IndexOf(" Path: $", StringComparison.Ordinal) is var at and >= 0 ? message[..at] : message;
}
