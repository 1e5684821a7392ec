using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Khaacho.Api.Hosting;

/// <summary>
/// JSON between systems is UTF-8 (RFC 8259). A body in another charset is refused with 415 here, once, and a quoted
/// <c>charset="utf-8"</c> is unquoted: the JSON body reader would otherwise fail on it with a 500.
/// </summary>
internal static class RequestCharset
{
    public static IApplicationBuilder UseUtf8RequestBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Only where a body is read: an operation without one ignores whatever body and content type come along.
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not null
            && context.Request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var media) && media.Charset.HasValue)
        {
            var charset = HeaderUtilities.RemoveQuotes(media.Charset).ToString();
            if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type; send application/json",
                    detail: $"The body's charset is '{charset}'; send UTF-8.").ExecuteAsync(context);
                return;
            }
            media.Charset = "utf-8";
            context.Request.ContentType = media.ToString();
        }
        await next(context);
    });
}
