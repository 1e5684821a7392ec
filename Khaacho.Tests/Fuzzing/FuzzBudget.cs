using CsCheck;

namespace Khaacho.Tests.Fuzzing;

/// <summary>
/// How long the fuzzer runs. In the test suite: a fixed number of requests per operation from a fixed seed, so a run
/// is the same every time. From <c>./khaacho fuzz --minutes N</c>: KHAACHO_FUZZ_MINUTES spread over the operations,
/// from KHAACHO_FUZZ_SEED or a fresh random seed, printed so a finding can be replayed.
/// </summary>
public sealed record FuzzBudget(long RequestsPerOperation, int SecondsPerOperation, string Seed)
{
    public const int SuiteRequestsPerOperation = 60;
    public static readonly string SuiteSeed = new PCG(13, 20261203).ToString();

    public bool Timed => SecondsPerOperation > 0;

    public static FuzzBudget FromEnvironment(int operations)
    {
        var minutes = double.TryParse(Environment.GetEnvironmentVariable("KHAACHO_FUZZ_MINUTES"), System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 0;
        var seed = Environment.GetEnvironmentVariable("KHAACHO_FUZZ_SEED") is { Length: > 0 } given ? given
            : minutes > 0 ? new PCG((uint)Random.Shared.Next(), (ulong)Random.Shared.NextInt64()).ToString() : SuiteSeed;
        return minutes > 0
            ? new FuzzBudget(-1, Math.Max(1, (int)(minutes * 60 / operations)), seed)
            : new FuzzBudget(SuiteRequestsPerOperation, -1, seed);
    }

    public override string ToString() => Timed ? $"{SecondsPerOperation} s per operation, seed {Seed}" : $"{RequestsPerOperation} requests per operation, seed {Seed}";
}
