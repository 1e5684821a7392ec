using System.Security.Claims;
using Khaacho.Core.Identity;
using Khaacho.Core.Orders;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Khaacho.Api.Auth;

public sealed class TokenIssuer(AuthOptions options, SymmetricSecurityKey key, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();
    private readonly SigningCredentials credentials = new(key, SecurityAlgorithms.HmacSha256);

    public (string Token, DateTimeOffset ExpiresAt) Issue(User user)
    {
        var now = clock.GetUtcNow();
        var claims = new List<Claim>
        {
            new(KhaachoClaims.Subject, user.Id.ToString()),
            new(KhaachoClaims.Role, user.Role.ToWire()),
        };
        if (user.RetailerId is { } retailerId) claims.Add(new(KhaachoClaims.RetailerId, retailerId.ToString()));
        if (user.VendorId is { } vendorId) claims.Add(new(KhaachoClaims.VendorId, vendorId.ToString()));

        var expires = now.Add(options.TokenLifetime);
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = credentials,
        });
        return (token, expires);
    }
}
