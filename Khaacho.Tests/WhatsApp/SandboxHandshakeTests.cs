using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>A webhook that is not up yet (503) for the first two handshakes, as the api starting after the sandbox.</summary>
public sealed class LateWebhookSandbox : SandboxHost
{
    public LateWebhookSandbox()
    {
        Webhook.NextHandshakeAnswers.Enqueue(503);
        Webhook.NextHandshakeAnswers.Enqueue(503);
    }
}

public sealed class WrongVerifyTokenSandbox : SandboxHost
{
    public WrongVerifyTokenSandbox() => Settings["Sandbox:VerifyToken"] = "not-the-verify-token";
}

public sealed class SandboxHandshakeTests(LateWebhookSandbox sandbox) : IClassFixture<LateWebhookSandbox>
{
    [Fact]
    public async Task Handshake_is_retried_until_the_webhook_answers_then_verified_when_it_echoes_the_challenge()
    {
        JsonElement status = default;
        await Eventually.UntilAsync(async () =>
        {
            status = await sandbox.Client.GetFromJsonAsync<JsonElement>("/api/status");
            return status.GetProperty("handshake").GetProperty("state").GetString() != "pending";
        }, seconds: 20, what: "handshake outcome");

        Assert.Equal("verified", status.GetProperty("handshake").GetProperty("state").GetString());
        Assert.Equal(3, status.GetProperty("handshake").GetProperty("attempts").GetInt32());
        var query = sandbox.Webhook.Handshakes.Last();
        Assert.Contains("hub.mode=subscribe", query);
        Assert.Contains($"hub.verify_token={SandboxHost.VerifyToken}", query);
        Assert.Matches(@"hub\.challenge=[0-9]{10}", query);
        Assert.Equal(sandbox.Webhook.Url, status.GetProperty("webhookUrl").GetString());
    }
}

public sealed class SandboxRefusedHandshakeTests(WrongVerifyTokenSandbox sandbox) : IClassFixture<WrongVerifyTokenSandbox>
{
    [Fact]
    public async Task Handshake_with_a_verify_token_the_webhook_refuses_is_reported_refused_with_its_answer()
    {
        JsonElement handshake = default;
        await Eventually.UntilAsync(async () =>
        {
            handshake = (await sandbox.Client.GetFromJsonAsync<JsonElement>("/api/status")).GetProperty("handshake");
            return handshake.GetProperty("state").GetString() != "pending";
        }, seconds: 20, what: "handshake outcome");

        Assert.Equal("refused", handshake.GetProperty("state").GetString());
        Assert.Equal("403", handshake.GetProperty("answer").GetString());
    }
}
