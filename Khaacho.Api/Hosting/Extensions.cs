using Khaacho.Ai;
using System.Text.Json;
using System.Text.Json.Serialization;
using Khaacho.Api.Admin;
using Khaacho.Api.Auth;
using Khaacho.Api.Catalog;
using Khaacho.Api.Credit;
using Khaacho.Api.Invoicing;
using Khaacho.Api.Messaging;
using Khaacho.Api.Notifications;
using Khaacho.Api.Orders;
using Khaacho.Api.Review;
using Khaacho.Api.WhatsApp;
using Khaacho.Core.Credit;
using Khaacho.Core.Hosting;
using Khaacho.Core.Identity;
using Khaacho.Core.Messaging;
using Khaacho.Core.Orders;
using Khaacho.Core.Orders.Quoting;
using Khaacho.Core.WhatsApp;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.IdentityModel.Tokens;
using Scalar.AspNetCore;

namespace Khaacho.Api.Hosting;

public static class Extensions
{
    /// <summary>Largest request body accepted: far above a 200-line order, far below anything abusive.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            // Extra fields are refused, not ignored: a typo in "quantity" must not become an order of zero.
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter<OrderPriority>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            json.SerializerOptions.Converters.Add(new ClientText.Converter());
        });
        // Binding failures throw in every environment, so BadRequestExceptionHandler names the field in Production too.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddKhaachoOpenApi();

        builder.AddKhaachoDatabase();
        // Intake keeps accepting through the outbox while Redis is down: degraded, not unready.
        builder.AddKhaachoRedis(HealthStatus.Degraded);

        builder.AddAuth();
        builder.AddTrustedProxies();
        builder.Services.AddKhaachoRateLimits(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddSingleton<BestPrices>();
        builder.Services.AddOrderQuoting();
        builder.Services.AddOrderTextParsing();
        builder.Services.AddKhaachoOutbox();
        OrderIntake.InitializeMetrics();
        builder.Services.AddMetricsAtStart(Khaacho.Core.Review.ReviewMetrics.Initialize);
        builder.Services.AddScoped<DeadLetterReplay>();
        builder.Services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<WhatsAppInbox>();
        builder.Services.AddKhaachoCredit();
        builder.Services.AddMetricsAtStart(WhatsAppInbox.InitializeMetrics);
        builder.Services.AddMetricsAtStart(WhatsAppWebhookApi.InitializeMetrics);
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section);
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHostedService<IdempotencyKeyExpiry>();
        return builder;
    }

    private static void AddAuth(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var key = SigningKey.Resolve(options, builder.Environment);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(key);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<PasswordCheck>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKey = key,
                // Only the algorithm we sign with: refuses "alg": "none" and algorithm confusion.
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                RoleClaimType = KhaachoClaims.Role,
                NameClaimType = KhaachoClaims.Subject,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Retailer, p => p.RequireRole(UserRole.Retailer.ToWire()).RequireClaim(KhaachoClaims.RetailerId))
            .AddPolicy(Policies.Vendor, p => p.RequireRole(UserRole.Vendor.ToWire()).RequireClaim(KhaachoClaims.VendorId))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Policies.Roles[Policies.Admin].Select(r => r.ToWire())))
            .AddPolicy(Policies.RetailerOrAdmin, p => p.RequireRole(Policies.Roles[Policies.RetailerOrAdmin].Select(r => r.ToWire())))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Policies.Roles[Policies.Staff].Select(r => r.ToWire())))
            .AddPolicy(Policies.RetailerOrStaff, p => p.RequireRole(Policies.Roles[Policies.RetailerOrStaff].Select(r => r.ToWire())));
    }

    public static WebApplication UseApplicationPipeline(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseManagementPort();
        app.UseJsonProblemsWhateverTheAcceptHeader();
        app.UseExceptionHandler();
        app.UseUtf8RequestBodies();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
            app.MapGet("/", () => TypedResults.Redirect("/scalar")).ExcludeFromDescription();
        }
        var api = app.MapGroup("").WithProblemResponses();
        api.MapAuthApi();
        api.MapCatalogApi();
        api.MapParsePreviewApi();
        api.MapQuotesApi();
        api.MapOrdersApi();
        api.MapInvoicesApi();
        api.MapReviewApi();
        api.MapNotificationsApi();
        api.MapCreditApi();
        api.MapPaymentsApi();
        api.MapStatementsApi();
        api.MapDeadLettersApi();
        api.MapAiProvidersApi();
        api.MapWhatsAppWebhookApi();
        return app;
    }
}
