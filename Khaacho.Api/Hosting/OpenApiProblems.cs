using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Khaacho.Api.Hosting;

/// <summary>
/// The error answers as the server sends them, so a strict generated client accepts them: every 4xx is
/// application/problem+json (a 404 too, and the 401/403 of the status code pages), a problem may carry extension
/// members such as traceId (RFC 9457), a 400 may name fields in <c>errors</c>; and each operation lists the binding
/// failures it can answer (400 for a typed parameter or a body, 413 and 415 for a body).
/// </summary>
internal static class OpenApiProblems
{
    private const string ProblemJson = "application/problem+json";

    public static OpenApiOptions DocumentProblemsAsSent(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (!typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type) || schema is not OpenApiSchema concrete) return Task.CompletedTask;
            concrete.AdditionalPropertiesAllowed = true;
            concrete.AdditionalProperties = null;
            concrete.Properties ??= new Dictionary<string, IOpenApiSchema>();
            concrete.Properties.TryAdd("traceId", new OpenApiSchema { Type = JsonSchemaType.String, Description = "W3C trace id of the request, for support." });
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            operation.Responses ??= new OpenApiResponses();
            var typedParameter = operation.Parameters?.Any(p => p.Schema is { } schema && (schema.Type != JsonSchemaType.String || schema.Format is not null)) == true;
            if (operation.RequestBody is not null || typedParameter) operation.Responses.TryAdd("400", new OpenApiResponse { Description = "Bad Request" });
            if (operation.RequestBody is not null)
            {
                operation.Responses.TryAdd("413", new OpenApiResponse { Description = "Content Too Large" });
                operation.Responses.TryAdd("415", new OpenApiResponse { Description = "Unsupported Media Type" });
            }
            foreach (var (status, response) in operation.Responses.Where(r => r.Key.StartsWith('4')))
            {
                if (response is not OpenApiResponse concrete) continue;
                var schema = status == "400" ? nameof(HttpValidationProblemDetails) : nameof(ProblemDetails);
                concrete.Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(schema, context.Document) } };
            }
            return Task.CompletedTask;
        });
        return options;
    }
}
