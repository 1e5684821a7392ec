using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Khaacho.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Khaacho.Tests.Intake;

/// <summary>Tokens that look right but must not pass: minted here with the api's real key, or a wrong one.</summary>
[Collection(AppCollection.Name)]
public sealed class TokenTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_well_formed_token_signed_with_the_real_key_is_accepted()
    {
        var token = Mint(await RealKeyAsync(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10));

        Assert.Equal(HttpStatusCode.OK, await GetOrdersWithAsync(token));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var token = Mint(await RealKeyAsync(), DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersWithAsync(token));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var token = Mint(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersWithAsync(token));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var token = Mint(await RealKeyAsync(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10), audience: "someone-else");

        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersWithAsync(token));
    }

    private async Task<SymmetricSecurityKey> RealKeyAsync()
    {
        var parameter = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == "jwt-signing-key");
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes((await parameter.GetValueAsync(CancellationToken.None))!));
    }

    private static string Mint(SecurityKey key, DateTime notBefore, DateTime expires, string audience = "khaacho-api") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "khaacho",
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", Guid.CreateVersion7().ToString()), new Claim("role", "admin")]),
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

    private async Task<HttpStatusCode> GetOrdersWithAsync(string token)
    {
        using var client = fixture.CreateHttpClient("api");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("/api/v1/orders?limit=1");
        return response.StatusCode;
    }
}
