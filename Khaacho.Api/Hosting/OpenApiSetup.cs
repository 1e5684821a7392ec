using System.Text.Json.Nodes;
using Khaacho.Api.Auth;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Khaacho.Api.Hosting;

internal static class OpenApiSetup
{
    private const string Bearer = "Bearer";

    /// <summary>The OpenAPI document: a bearer scheme, the 401/403 that every protected operation can answer, and errors and headers as sent.</summary>
    public static IServiceCollection AddKhaachoOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Khaacho API",
                Version = "v1",
                Description = "B2B ordering for Nepal's kirana trade: submit orders, follow them through the pipeline.",
                License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://khaacho.example/license") },
            };
            document.Servers = [new OpenApiServer { Url = "/" }];
            document.Tags = new HashSet<OpenApiTag>
            {
                new() { Name = "Auth", Description = "Access tokens for retailers, vendors and admins." },
                new() { Name = "Catalog", Description = "Products and vendors a retailer orders from." },
                new() { Name = "Orders", Description = "Submitting orders and following them through the pipeline." },
                new() { Name = "Invoices", Description = "VAT invoices issued on delivery, as JSON and as PDF." },
                new() { Name = "Review", Description = "Risk-flagged orders waiting for staff to approve or reject them." },
                new() { Name = "Notifications", Description = "What the platform told a retailer or vendor." },
                new() { Name = "Credit", Description = "The retailer's khata: credit, payments, statements, ageing, holds." },
                new() { Name = "Admin", Description = "Operations: dead letters." },
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /api/v1/auth/token.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = []; // explicitly open
                return Task.CompletedTask;
            }
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
            DocumentRoles(operation, metadata.OfType<IAuthorizeData>());
            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid access token." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token's role may not do this." });
            return Task.CompletedTask;
        });
        options.DocumentStringsAsStrings();
        options.DocumentProblemsAsSent();
        options.DocumentHeadersAsSent();
    });

    /// <summary>Says which roles may call the operation, in its description and as <c>x-khaacho-roles</c>.</summary>
    private static void DocumentRoles(OpenApiOperation operation, IEnumerable<IAuthorizeData> authorization)
    {
        var policies = authorization.Select(a => a.Policy).OfType<string>().ToList();
        var roles = policies.Count == 0
            ? Enum.GetValues<UserRole>()
            : Enum.GetValues<UserRole>().Where(r => policies.All(p => Policies.Roles[p].Contains(r))).ToArray();
        var names = roles.Select(r => r.ToWire()).ToList();
        operation.Description = $"{operation.Description}{(operation.Description is null ? "" : "\n\n")}Roles: {string.Join(", ", names)}.";
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-khaacho-roles"] = new JsonNodeExtension(new JsonArray([.. names.Select(n => JsonValue.Create(n))]));
    }
}
