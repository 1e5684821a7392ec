using System.Net;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Intake;

[Collection(AppCollection.Name)]
public sealed class RateLimitTests(KhaachoAppFixture fixture)
{
    [Fact]
    public async Task A_user_over_the_limit_gets_429_with_retry_after()
    {
        // 600 requests per 10 s per user by default: 1,300 overflow a window even when they straddle two.
        using var client = await fixture.LoginAsync(ApiClient.DemoPhone("retailers", 9));
        using var gate = new SemaphoreSlim(50);

        var answers = await Task.WhenAll(Enumerable.Range(0, 1300).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await client.GetAsync("/api/v1/vendors");
                return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta);
            }
            finally
            {
                gate.Release();
            }
        }));

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, a => Assert.InRange(a.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }
}
