using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Khaacho.Api.Auth;

/// <summary>
/// Per-account lockout with exponential backoff, kept in Redis so every api replica counts the same failures. Keyed by
/// a hash of the phone number (no phone numbers in Redis), and applied alike to phones with and without an account, so
/// a lock says nothing about who is a customer. If Redis is unreachable the throttle lets logins through: the per-address
/// rate limit and the bounded hashing still hold, and nobody is locked out of their shop because a cache is down.
/// </summary>
public sealed partial class LoginThrottle(IConnectionMultiplexer redis, AuthOptions auth, ILogger<LoginThrottle> logger)
{
    private static readonly System.Diagnostics.Metrics.Counter<long> Lockouts = Microsoft.Extensions.Hosting.KhaachoTelemetry.Meter.CreateCounter<long>(
        "khaacho.auth.lockouts", description: "Accounts (phone numbers) locked after repeated failed logins");

    // Counts the failure, keeps the count for the window, and from the (free + 1)th failure on locks for base * 2^k, capped.
    private static readonly LuaScript RecordFailureScript = LuaScript.Prepare("""
        local n = redis.call('INCR', @failures)
        redis.call('PEXPIRE', @failures, @windowMs)
        local over = n - tonumber(@free)
        if over <= 0 then return 0 end
        local lock = math.min(tonumber(@baseMs) * 2 ^ (over - 1), tonumber(@maxMs))
        redis.call('SET', @lock, n, 'PX', math.floor(lock))
        return math.floor(lock)
        """);

    private LoginOptions Options => auth.Login;

    /// <returns>How long the account stays locked, or null when it may try.</returns>
    public async Task<TimeSpan?> LockedForAsync(string phone)
    {
        try
        {
            var remaining = await redis.GetDatabase().KeyTimeToLiveAsync(LockKey(phone));
            return remaining is { } r && r > TimeSpan.Zero ? r : null;
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex);
            return null;
        }
    }

    /// <returns>The lock this failure started, or null while the account still has free attempts.</returns>
    public async Task<TimeSpan?> RecordFailureAsync(string phone)
    {
        try
        {
            var lockMs = (long)await RecordFailureScript.EvaluateAsync(redis.GetDatabase(), new
            {
                failures = FailuresKey(phone), @lock = LockKey(phone),
                windowMs = (long)Options.FailureWindow.TotalMilliseconds, free = Options.FreeFailures,
                baseMs = (long)Options.LockoutBase.TotalMilliseconds, maxMs = (long)Options.LockoutMax.TotalMilliseconds,
            });
            if (lockMs <= 0) return null;
            Lockouts.Add(1);
            LogLocked(logger, AccountKey(phone), lockMs);
            return TimeSpan.FromMilliseconds(lockMs);
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex);
            return null;
        }
    }

    public async Task RecordSuccessAsync(string phone)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync([FailuresKey(phone), LockKey(phone)]);
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex);
        }
    }

    /// <summary>The Redis key prefix for one phone number: <c>khaacho:login:&lt;sha256 prefix&gt;</c>.</summary>
    public static string AccountKey(string phone) =>
        "khaacho:login:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(phone)), 0, 16);

    private static RedisKey FailuresKey(string phone) => AccountKey(phone) + ":failures";

    private static RedisKey LockKey(string phone) => AccountKey(phone) + ":lock";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login account {Account} locked for {LockMs} ms after repeated failures")]
    private static partial void LogLocked(ILogger logger, string account, long lockMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login throttle unavailable (Redis); logins are not counted per account meanwhile")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
