using System.ComponentModel.DataAnnotations;

namespace Khaacho.Api.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HMAC-SHA256 key for access tokens, at least 32 bytes (env <c>Auth__SigningKey</c>; an Aspire secret parameter).</summary>
    public string? SigningKey { get; set; }

    [Required] public string Issuer { get; set; } = "khaacho";
    [Required] public string Audience { get; set; } = "khaacho-api";

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public LoginOptions Login { get; set; } = new();
}
