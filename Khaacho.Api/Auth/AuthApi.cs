using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Khaacho.Api.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Auth;

public static class AuthApi
{
    public sealed record TokenRequest(string Phone, string Password);

    public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Role, Guid? RetailerId, Guid? VendorId);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).WithName("IssueToken")
            .WithTags("Auth")
            .WithSummary("Exchange a phone number and password for an access token")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Anonymous)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> IssueTokenAsync(
        TokenRequest request, KhaachoDbContext db, IPasswordHasher<User> hasher, TokenIssuer issuer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Phone) || string.IsNullOrEmpty(request.Password))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["Phone and password are required."] });

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Phone == request.Phone.Trim(), cancellationToken);
        // One answer for an unknown phone and a wrong password: the endpoint must not reveal who has an account.
        if (user is null || hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password) == PasswordVerificationResult.Failed)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid phone or password");

        var (token, expiresAt) = issuer.Issue(user);
        var lifetime = (int)(expiresAt - DateTimeOffset.UtcNow).TotalSeconds;
        return TypedResults.Ok(new TokenResponse(token, "Bearer", lifetime, user.Role.ToWire(), user.RetailerId, user.VendorId));
    }
}
