using System.Security.Claims;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;

namespace Khaacho.Api.Auth;

public static class CurrentUserClaims
{
    extension(CurrentUser)
    {
        /// <summary>The caller, read once from the validated token's claims.</summary>
        public static CurrentUser From(ClaimsPrincipal principal) => new(
            Guid.Parse(principal.FindFirstValue(KhaachoClaims.Subject)!),
            WireNames.Parse<UserRole>(principal.FindFirstValue(KhaachoClaims.Role)!),
            ParseOptional(principal.FindFirstValue(KhaachoClaims.RetailerId)),
            ParseOptional(principal.FindFirstValue(KhaachoClaims.VendorId)));
    }

    private static Guid? ParseOptional(string? value) => Guid.TryParse(value, out var id) ? id : null;
}
