using System.Globalization;
using Khaacho.Core.Data;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Khaacho.Api.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Khaacho.Api.Auth;

public static partial class AuthApi
{
    public sealed record TokenRequest(string Phone, string Password);

    public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Role, Guid? RetailerId, Guid? VendorId);

    private const int MaxPasswordLength = 256;

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).WithName("IssueToken")
            .WithTags("Auth")
            .WithSummary("Exchange a phone number and password for an access token")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Anonymous)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <remarks>
    /// Unknown phone and wrong password get the same answer after the same work (a full hash verification); a phone
    /// with too many failures is locked, known or not; a right password for a deactivated shop gets 403.
    /// </remarks>
    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> IssueTokenAsync(
        TokenRequest request, HttpContext http, KhaachoDbContext db, PasswordCheck passwords, LoginThrottle throttle, TokenIssuer issuer,
        CancellationToken cancellationToken)
    {
        var phone = request.Phone?.Trim();
        if (string.IsNullOrEmpty(phone) || string.IsNullOrEmpty(request.Password))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["Phone and password are required."] });
        if (!PhonePattern().IsMatch(phone))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["A phone number: digits, optionally after a +, 6 to 19 of them."] });
        if (request.Password.Length > MaxPasswordLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [$"At most {MaxPasswordLength} characters."] });

        if (await throttle.LockedForAsync(phone) is { } locked)
            return RetryLater(http, StatusCodes.Status429TooManyRequests, locked, "Too many failed logins",
                "This phone number had too many failed logins; wait before trying again.");

        var account = await db.Users.AsNoTracking().Where(u => u.Phone == phone)
            .Select(u => new
            {
                User = u,
                Active = (u.RetailerId == null || db.Retailers.Any(r => r.Id == u.RetailerId && r.IsActive))
                         && (u.VendorId == null || db.Vendors.Any(v => v.Id == u.VendorId && v.IsActive)),
            })
            .FirstOrDefaultAsync(cancellationToken);

        switch (await passwords.VerifyAsync(account?.User, request.Password, cancellationToken))
        {
            case PasswordCheckResult.Busy:
                return RetryLater(http, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1), "Too many logins at once",
                    "The server is checking many passwords right now; try again in a moment.");
            case PasswordCheckResult.Invalid:
                await throttle.RecordFailureAsync(phone);
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid phone or password");
        }

        await throttle.RecordSuccessAsync(phone);
        var user = account!.User;
        if (!account.Active)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Account not active",
                detail: "This shop's account is deactivated; contact Khaacho support.");

        var (token, expiresAt) = issuer.Issue(user);
        var lifetime = (int)(expiresAt - DateTimeOffset.UtcNow).TotalSeconds;
        return TypedResults.Ok(new TokenResponse(token, "Bearer", lifetime, user.Role.ToWire(), user.RetailerId, user.VendorId));
    }

    private static ProblemHttpResult RetryLater(HttpContext http, int status, TimeSpan wait, string title, string detail)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: status, title: title, detail: $"{detail} Retry after {seconds} s.");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\+?[0-9]{6,19}$")]
    private static partial System.Text.RegularExpressions.Regex PhonePattern();
}
