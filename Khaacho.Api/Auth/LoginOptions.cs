namespace Khaacho.Api.Auth;

/// <summary>Section <c>Auth:Login</c>: how hard password guessing is made, per account and for the process.</summary>
public sealed class LoginOptions
{
    /// <summary>Failed logins for one phone number (known or not) before it is locked.</summary>
    public int FreeFailures { get; set; } = 5;

    /// <summary>How long failures are remembered after the last one; longer than <see cref="LockoutMax"/>, so waiting out a lock never resets the count.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The first lock; each further failure doubles it, up to <see cref="LockoutMax"/>.</summary>
    public TimeSpan LockoutBase { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan LockoutMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password hashes computed at once by this process (0: half the cores, at least 1), so a login flood leaves cores for orders.</summary>
    public int MaxConcurrentHashes { get; set; }

    /// <summary>Logins waiting for a hashing slot; beyond that they are answered 503 at once.</summary>
    public int HashQueueLimit { get; set; } = 32;

    /// <summary>How long a login waits for a hashing slot before it is answered 503.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int EffectiveMaxConcurrentHashes => MaxConcurrentHashes > 0 ? MaxConcurrentHashes : Math.Max(1, Environment.ProcessorCount / 2);
}
