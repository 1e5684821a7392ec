using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Khaacho.Api.Hosting;

/// <summary>A response header an endpoint sets, for its OpenAPI document.</summary>
public sealed record ResponseHeader(int Status, string Name, string Description, bool Required);

/// <summary>
/// The response headers a client acts on, in the document: what an endpoint declares with <see cref="WithResponseHeader"/>
/// (Location on an accepted order), and Retry-After on every 429 and 503, which the rate limiter, the login lockout and
/// the bounded password hashing always send.
/// </summary>
internal static class OpenApiHeaders
{
    private const string RetryAfter = "Retry-After";

    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder endpoint, int status, string name, string description, bool required = true) =>
        endpoint.WithMetadata(new ResponseHeader(status, name, description, required));

    public static OpenApiOptions DocumentHeadersAsSent(this OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<ResponseHeader>()
            .Select(h => (Status: h.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), h.Name, h.Description, h.Required, Schema: JsonSchemaType.String));
        var retryAfter = (operation.Responses ?? []).Keys.Where(status => status is "429" or "503")
            .Select(status => (Status: status, Name: RetryAfter, Description: "Seconds to wait before sending the request again.", Required: true, Schema: JsonSchemaType.Integer));
        foreach (var header in declared.Concat(retryAfter))
        {
            if (operation.Responses?.TryGetValue(header.Status, out var found) != true || found is not OpenApiResponse response) continue;
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[header.Name] = new OpenApiHeader
            {
                Description = header.Description,
                Required = header.Required,
                Schema = new OpenApiSchema { Type = header.Schema },
            };
        }
        return Task.CompletedTask;
    });
}
