using CsCheck;
using Khaacho.Tests.Contract;
using Khaacho.Tests.Hosting;
using Xunit.Abstractions;

namespace Khaacho.Tests.Fuzzing;

/// <summary>Every operation of the served OpenAPI document, fuzzed: no 5xx for anything a client sends, every 4xx a problem, every answer documented.</summary>
[Collection(FuzzAppCollection.Name)]
public sealed class ApiFuzzTests(FuzzAppFixture fixture, ITestOutputHelper output)
{
    /// <summary>The anonymous token endpoint allows 30 requests per 10 s per address: paced below that, it reaches the handler.</summary>
    private static readonly TimeSpan AnonymousPacing = TimeSpan.FromMilliseconds(400);
    private readonly SemaphoreSlim anonymousGate = new(1);
    private const int MaxRequestBodyBytes = 64 * 1024;

    [Fact]
    public async Task No_request_to_any_operation_gets_a_5xx_and_every_answer_is_documented_and_every_4xx_a_problem()
    {
        using var client = fixture.CreateHttpClient("api");
        var operations = fixture.Document.Operations;
        var context = await FuzzContext.CreateAsync(fixture);
        var budget = FuzzBudget.FromEnvironment(operations.Count);
        var stats = new FuzzStats();
        await using var serverErrors = new ServerErrors(fixture.App);
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
                failures.Add($"{operation.Name}: {failure.Message}\n    because: {failure.InnerException?.Message}");
            }
        }
        Report(stats.Summary());
        foreach (var error in serverErrors.Distinct) Report($"  api logged: {error}");
        if (failures.Count > 0) Report($"FAILED (seed {budget.Seed}):\n{string.Join("\n\n", failures)}");

        Assert.True(operations.Count >= 14, $"only {operations.Count} operations in the document");
        Assert.True(failures.Count == 0, $"seed {budget.Seed}\n{string.Join("\n\n", failures)}");
    }

    private async Task SendAsync(HttpClient client, FuzzRequest request, FuzzStats stats)
    {
        if (request.Operation.Anonymous) await PaceAsync();
        HttpResponseMessage response;
        try
        {
            response = await SendOnceAsync(client, request, stats);
        }
        catch (HttpRequestException) when (request.Body?.Length > MaxRequestBodyBytes)
        {
            // Kestrel answered 413 and closed the connection while the client was still sending the body.
            stats.Record(request, 413, byKestrel: true, violation: null);
            return;
        }
        catch (HttpRequestException)
        {
            // A pooled connection the server had just closed as idle: once more on a new one, then it is a finding.
            response = await SendOnceAsync(client, request, stats);
        }
        using var _ = response;
        var body = await response.Content.ReadAsStringAsync();
        var violation = ResponseRules.Violation(request, response, body);
        stats.Record(request, (int)response.StatusCode, DocumentRules.RefusedByKestrel(response, body), violation);
        if (violation is not null) throw new InvalidOperationException(violation);
    }

    /// <summary>The client checks every answer against the document (<see cref="DocumentedResponses"/>); one that differs is a finding too.</summary>
    private static async Task<HttpResponseMessage> SendOnceAsync(HttpClient client, FuzzRequest request, FuzzStats stats)
    {
        using var message = request.ToMessage();
        try
        {
            return await client.SendAsync(message);
        }
        catch (UndocumentedResponseException undocumented)
        {
            stats.Record(request, undocumented.Status, byKestrel: false, undocumented.Violation);
            throw;
        }
    }

    private async Task PaceAsync()
    {
        await anonymousGate.WaitAsync();
        _ = Task.Delay(AnonymousPacing).ContinueWith(_ => anonymousGate.Release(), TaskScheduler.Default);
    }

    /// <summary>To the test output, and to KHAACHO_FUZZ_REPORT when <c>./khaacho fuzz</c> asks for the report in a file.</summary>
    private void Report(string text)
    {
        output.WriteLine(text);
        if (Environment.GetEnvironmentVariable("KHAACHO_FUZZ_REPORT") is { Length: > 0 } file) File.AppendAllText(file, text + Environment.NewLine);
    }
}
