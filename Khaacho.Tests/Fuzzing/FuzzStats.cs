using System.Collections.Concurrent;
using System.Text;

namespace Khaacho.Tests.Fuzzing;

/// <summary>What the fuzzer sent and got, per operation: for the test output and the note on a long run.</summary>
public sealed class FuzzStats
{
    private readonly ConcurrentDictionary<(string Operation, int Status), int> answers = new();
    private readonly ConcurrentDictionary<string, int> mutations = new();
    private readonly ConcurrentDictionary<string, string> findings = new();
    private long requests;

    public long Requests => Interlocked.Read(ref requests);

    public IReadOnlyDictionary<string, string> Findings => findings;

    public void Record(FuzzRequest request, int status, bool byKestrel, string? violation)
    {
        Interlocked.Increment(ref requests);
        answers.AddOrUpdate((request.Operation.Name, byKestrel ? -status : status), 1, (_, n) => n + 1);
        mutations.AddOrUpdate(request.Mutation.Split(['=', ' '])[0], 1, (_, n) => n + 1);
        if (violation is not null) findings.TryAdd($"{request.Operation.Name}: {violation.Split(':')[0]}", $"{violation}\n    {request}");
    }

    public string Summary()
    {
        var sb = new StringBuilder($"{Requests} requests, {findings.Count} distinct findings\n");
        foreach (var operation in answers.GroupBy(a => a.Key.Operation).OrderBy(g => g.Key))
            sb.AppendLine($"  {operation.Key}: {string.Join(", ", operation.OrderBy(a => Math.Abs(a.Key.Status)).Select(a => a.Key.Status < 0 ? $"{-a.Key.Status} by Kestrel×{a.Value}" : $"{a.Key.Status}×{a.Value}"))}");
        sb.AppendLine($"  mutation kinds: {mutations.Count} ({string.Join(", ", mutations.OrderByDescending(m => m.Value).Take(12).Select(m => $"{m.Key}×{m.Value}"))}, …)");
        foreach (var finding in findings.Values) sb.AppendLine($"  FINDING {finding}");
        return sb.ToString();
    }
}
