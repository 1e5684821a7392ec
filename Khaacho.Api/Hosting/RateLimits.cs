using System.Globalization;
using System.Threading.RateLimiting;
using Khaacho.Api.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace Khaacho.Api.Hosting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests per user (token subject) per window.</summary>
    public int PerUserPermits { get; set; } = 600;
    /// <summary>Token requests per client address per window: slows password guessing.</summary>
    public int AnonymousPermits { get; set; } = 30;
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}

internal static class RateLimitSetup
{
    public static IServiceCollection AddKhaachoRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(statusCode: 429, title: "Too many requests",
                        detail: $"Retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.")
                    .ExecuteAsync(context.HttpContext);
            };
            limiter.AddPolicy(RateLimits.PerUser, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirst(KhaachoClaims.Subject)?.Value ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PerUserPermits, Window = options.Window }));
            limiter.AddPolicy(RateLimits.Anonymous, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.AnonymousPermits, Window = options.Window }));
        });
    }
}

public static class RateLimits
{
    public const string PerUser = "per-user";
    public const string Anonymous = "anonymous";
}
