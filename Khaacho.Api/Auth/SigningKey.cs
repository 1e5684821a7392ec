using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Khaacho.Api.Auth;

internal static class SigningKey
{
    /// <summary>
    /// The configured key; in Development only, a random one for this process when none is configured.
    /// Anywhere else a missing or short key stops the start-up: tokens signed with a guessable key are worse than none.
    /// </summary>
    public static SymmetricSecurityKey Resolve(AuthOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            var bytes = Encoding.UTF8.GetBytes(options.SigningKey);
            if (bytes.Length < 32) throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes.");
            return new SymmetricSecurityKey(bytes);
        }
        if (environment.IsDevelopment()) return new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64));
        throw new InvalidOperationException("Auth:SigningKey is not configured (the AppHost passes it from the secret parameter jwt-signing-key).");
    }
}
