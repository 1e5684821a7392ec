using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Khaacho.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace Khaacho.Api.Auth;

public enum PasswordCheckResult { Valid, Invalid, Busy }

/// <summary>
/// Verifies a password at full hashing cost whether or not the phone has an account (an unknown phone is checked
/// against a hash of a random password), so response time does not tell who is a customer; and lets only a few hashes
/// run at once, so a flood of logins is answered 503 instead of taking every core from order intake.
/// </summary>
public sealed class PasswordCheck : IDisposable
{
    private static readonly System.Diagnostics.Metrics.Counter<long> Checks = Microsoft.Extensions.Hosting.KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.auth.password_checks", description: "Password hashes verified at login (unknown phones included), by outcome");

    private static readonly System.Diagnostics.Metrics.Counter<long> Refused = Microsoft.Extensions.Hosting.KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.auth.hashing_busy", description: "Logins answered 503 because every password-hashing slot was taken");

    private readonly IPasswordHasher<User> hasher;
    private readonly LoginOptions options;
    private readonly ConcurrencyLimiter slots;
    private readonly User nobody = new() { Phone = "", DisplayName = "", PasswordHash = "" };
    private readonly Lazy<string> nobodysHash;

    public PasswordCheck(IPasswordHasher<User> hasher, AuthOptions auth)
    {
        this.hasher = hasher;
        options = auth.Login;
        slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.EffectiveMaxConcurrentHashes,
            QueueLimit = options.HashQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        nobodysHash = new(() => hasher.HashPassword(nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
    }

    /// <param name="user">The account with that phone, or null: the same hash work is done either way.</param>
    public async Task<PasswordCheckResult> VerifyAsync(User? user, string password, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HashQueueTimeout);
        RateLimitLease lease;
        try
        {
            lease = await slots.AcquireAsync(1, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Refused.Add(1);
            return PasswordCheckResult.Busy;
        }
        using (lease)
        {
            if (!lease.IsAcquired)
            {
                Refused.Add(1);
                return PasswordCheckResult.Busy;
            }
            var verified = hasher.VerifyHashedPassword(user ?? nobody, user?.PasswordHash ?? nobodysHash.Value, password);
            var valid = user is not null && verified != PasswordVerificationResult.Failed;
            Checks.Add(1, new KeyValuePair<string, object?>("outcome", valid ? "valid" : "invalid"));
            return valid ? PasswordCheckResult.Valid : PasswordCheckResult.Invalid;
        }
    }

    public void Dispose() => slots.Dispose();
}
