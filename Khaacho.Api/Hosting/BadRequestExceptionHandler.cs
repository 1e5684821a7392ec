using Microsoft.AspNetCore.Diagnostics;

namespace Khaacho.Api.Hosting;

/// <summary>
/// Turns request-binding failures (malformed JSON, wrong content type, body too large) into problem+json with their
/// own 4xx status. Without it, Development's ThrowOnBadRequest would surface them as 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported content type; send application/json",
                    _ => "Malformed request",
                },
                // The JSON reader's message names the path and position of the problem: useful to the client, no internals.
                Detail = bad.InnerException?.Message ?? bad.Message,
            },
        });
    }
}
