using Khaacho.Api.Auth;
using Khaacho.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace Khaacho.Tests.Auth;

public sealed class PasswordCheckTests
{
    [Fact]
    public async Task An_unknown_phone_costs_the_same_hash_verification_as_a_known_one()
    {
        var hasher = new CountingHasher();
        using var check = new PasswordCheck(hasher, new AuthOptions());
        var known = new User { Phone = "9800000000", DisplayName = "known", PasswordHash = hasher.HashPassword(null!, "right") };

        var unknown = await check.VerifyAsync(null, "right", CancellationToken.None);
        var wrong = await check.VerifyAsync(known, "wrong", CancellationToken.None);
        var right = await check.VerifyAsync(known, "right", CancellationToken.None);

        Assert.Equal([PasswordCheckResult.Invalid, PasswordCheckResult.Invalid, PasswordCheckResult.Valid], [unknown, wrong, right]);
        Assert.Equal(3, hasher.Verifications);
        // The unknown phone was checked against a real hash of the same hasher (same cost), not skipped.
        Assert.StartsWith(CountingHasher.Prefix, hasher.VerifiedAgainst[0]);
    }

    [Fact]
    public async Task With_every_hashing_slot_and_the_queue_taken_a_login_is_answered_busy_at_once()
    {
        var hasher = new CountingHasher { Gate = new ManualResetEventSlim(false) };
        using var check = new PasswordCheck(hasher, new AuthOptions { Login = new LoginOptions { MaxConcurrentHashes = 1, HashQueueLimit = 1, HashQueueTimeout = TimeSpan.FromMinutes(5) } });
        var user = new User { Phone = "9800000000", DisplayName = "u", PasswordHash = hasher.HashPassword(null!, "right") };

        var hashing = Task.Run(() => check.VerifyAsync(user, "right", CancellationToken.None));
        hasher.Entered.Wait(TimeSpan.FromMinutes(1));
        var queued = check.VerifyAsync(user, "right", CancellationToken.None);
        var refused = await check.VerifyAsync(user, "right", CancellationToken.None);
        Assert.False(queued.IsCompleted);
        hasher.Gate.Set();

        Assert.Equal(PasswordCheckResult.Busy, refused);
        Assert.Equal(PasswordCheckResult.Valid, await hashing);
        Assert.Equal(PasswordCheckResult.Valid, await queued);
        Assert.Equal(2, hasher.Verifications);
    }

    [Fact]
    public async Task A_login_that_waits_past_the_queue_timeout_is_answered_busy()
    {
        var hasher = new CountingHasher { Gate = new ManualResetEventSlim(false) };
        using var check = new PasswordCheck(hasher, new AuthOptions { Login = new LoginOptions { MaxConcurrentHashes = 1, HashQueueTimeout = TimeSpan.FromMilliseconds(1) } });
        var user = new User { Phone = "9800000000", DisplayName = "u", PasswordHash = hasher.HashPassword(null!, "right") };

        var hashing = Task.Run(() => check.VerifyAsync(user, "right", CancellationToken.None));
        hasher.Entered.Wait(TimeSpan.FromMinutes(1));
        var waited = await check.VerifyAsync(user, "right", CancellationToken.None);
        hasher.Gate.Set();

        Assert.Equal(PasswordCheckResult.Busy, waited);
        Assert.Equal(PasswordCheckResult.Valid, await hashing);
    }

    /// <summary>A cheap stand-in for the PBKDF2 hasher that counts verifications and can hold one inside the hash.</summary>
    private sealed class CountingHasher : IPasswordHasher<User>
    {
        public const string Prefix = "counted:";
        private int verifications;
        public int Verifications => verifications;
        public List<string> VerifiedAgainst { get; } = [];
        public ManualResetEventSlim? Gate { get; init; }
        public ManualResetEventSlim Entered { get; } = new(false);

        public string HashPassword(User user, string password) => Prefix + password;

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            lock (VerifiedAgainst) VerifiedAgainst.Add(hashedPassword);
            Entered.Set();
            Gate?.Wait(TimeSpan.FromMinutes(1));
            return hashedPassword == Prefix + providedPassword ? PasswordVerificationResult.Success : PasswordVerificationResult.Failed;
        }
    }
}
