using CsCheck;
using Khaacho.Tests.Hosting;
using Xunit.Abstractions;

namespace Khaacho.Tests.Fuzzing;

/// <summary>Every operation of the served OpenAPI document, fuzzed: no 5xx for anything a client sends, every 4xx a problem.</summary>
[Collection(FuzzAppCollection.Name)]
public sealed class ApiFuzzTests(FuzzAppFixture fixture, ITestOutputHelper output)
{
    /// <summary>The anonymous token endpoint allows 30 requests per 10 s per address: paced below that, it reaches the handler.</summary>
    private static readonly TimeSpan AnonymousPacing = TimeSpan.FromMilliseconds(400);
    private readonly SemaphoreSlim anonymousGate = new(1);

    [Fact]
    public async Task No_request_to_any_documented_operation_gets_a_5xx_and_every_4xx_is_problem_json()
    {
        using var client = fixture.CreateHttpClient("api");
        var operations = ApiOperation.Read(await client.GetStringAsync("/openapi/v1.json"));
        var context = await FuzzContext.CreateAsync(fixture);
        var budget = FuzzBudget.FromEnvironment(operations.Count);
        var stats = new FuzzStats();
        Report($"fuzzing {operations.Count} operations: {budget}");

        var failures = new List<string>();
        foreach (var operation in operations)
        {
            try
            {
                await RequestGenerator.For(operation, context).SampleAsync(
                    async request => await SendAsync(client, request, stats),
                    seed: budget.Seed, iter: budget.RequestsPerOperation, time: budget.SecondsPerOperation, threads: operation.Anonymous ? 1 : 2,
                    print: request => request.ToString());
            }
            catch (CsCheckException failure)
            {
                failures.Add($"{operation.Name}: {failure.Message}");
            }
        }
        Report(stats.Summary());

        Assert.True(operations.Count >= 14, $"only {operations.Count} operations in the document");
        Assert.True(failures.Count == 0, $"seed {budget.Seed}\n{string.Join("\n\n", failures)}");
    }

    private async Task SendAsync(HttpClient client, FuzzRequest request, FuzzStats stats)
    {
        if (request.Operation.Anonymous) await PaceAsync();
        using var message = request.ToMessage();
        using var response = await client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        var violation = ResponseRules.Violation(request, response, body);
        stats.Record(request, (int)response.StatusCode, ResponseRules.RefusedByKestrel(response, body), violation);
        if (violation is not null) throw new InvalidOperationException(violation);
    }

    private async Task PaceAsync()
    {
        await anonymousGate.WaitAsync();
        _ = Task.Delay(AnonymousPacing).ContinueWith(_ => anonymousGate.Release(), TaskScheduler.Default);
    }

    private void Report(string text)
    {
        output.WriteLine(text);
        Console.WriteLine(text);
    }
}
