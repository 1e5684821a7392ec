using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Khaacho.AppHost;

internal static class DeadLetterCommand
{
    // The dashboard acts as this admin; the api logs it as the replay's actor.
    private static readonly Guid DashboardUserId = new("0193a000-0000-7000-8000-00000000da5b");

    /// <summary>A dashboard button on a worker resource: replays its stream's dead letters through the api's admin endpoint.</summary>
    public static IResourceBuilder<ProjectResource> WithReplayDeadLettersCommand(
        this IResourceBuilder<ProjectResource> worker, string stream, IResourceBuilder<ProjectResource> api, IResourceBuilder<ParameterResource> signingKey) =>
        worker.WithCommand("replay-dead-letters", "Replay dead letters", async context =>
        {
            var key = await signingKey.Resource.GetValueAsync(context.CancellationToken);
            using var client = new HttpClient { BaseAddress = new Uri(api.GetEndpoint("http").Url) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken(key!));
            using var response = await client.PostAsync($"/api/v1/admin/dead-letters/replay?stream={stream}", null, context.CancellationToken);
            if (!response.IsSuccessStatusCode)
                return CommandResults.Failure($"The api answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(context.CancellationToken)}");
            return CommandResults.Success();
        }, new CommandOptions
        {
            Description = $"Put every message of {stream}:dlq back on the {stream} stream",
            IconName = "ArrowReplay",
        });

    /// <summary>A five-minute HS256 admin token signed with the api's key, as the api's own token endpoint would issue.</summary>
    private static string AdminToken(string signingKey)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = DashboardUserId.ToString(), ["role"] = "admin", ["iss"] = "khaacho", ["aud"] = "khaacho-api",
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + 300,
        }));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }
}
