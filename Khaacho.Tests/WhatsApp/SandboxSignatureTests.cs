using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Text.Encodings.Web;
using Khaacho.WhatsAppSandbox.Webhook;

namespace Khaacho.Tests.WhatsApp;

/// <summary>The sandbox signs as Meta does, so the api's signature check is tested against the real thing.</summary>
public sealed class SandboxSignatureTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    [Fact]
    public void Signature_is_sha256_and_the_lowercase_hex_hmac_of_the_bytes_keyed_with_the_app_secret()
    {
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        var signature = WebhookSignature.Sign("The quick brown fox jumps over the lazy dog"u8, "key");

        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", signature);
    }

    [Fact]
    public async Task A_delivered_message_verifies_over_its_exact_bytes_and_fails_with_one_byte_changed_or_another_secret()
    {
        const string phone = "+9779811000001";
        using var answer = await sandbox.InboundAsync(new { from = phone, text = "चिनी 3 बोरा, wai wai 5 carton" });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        var delivery = Assert.Single(sandbox.Webhook.Messages("9779811000001"));
        Assert.True(delivery.Verified);
        Assert.Matches("^sha256=[0-9a-f]{64}$", delivery.Signature);
        Assert.True(WebhookSignature.Verify(delivery.Body, delivery.Signature, SandboxHost.AppSecret));
        var tampered = delivery.Body.ToArray();
        tampered[^3] ^= 0x01;
        Assert.False(WebhookSignature.Verify(tampered, delivery.Signature, SandboxHost.AppSecret));
        Assert.False(WebhookSignature.Verify(delivery.Body, delivery.Signature, "another-secret"));
        Assert.False(WebhookSignature.Verify(delivery.Body, null, SandboxHost.AppSecret));
    }

    [Fact]
    public async Task A_receiver_that_verifies_a_reserialized_body_instead_of_the_raw_bytes_fails_as_with_Meta()
    {
        const string phone = "+9779811000002";
        await sandbox.InboundAsync(new { from = phone, text = "तेल 2 लिटर" });

        var delivery = Assert.Single(sandbox.Webhook.Messages("9779811000002"));
        // Meta writes non-ASCII as \u escapes; a parsed-and-written-again body has other bytes and another signature.
        Assert.Contains(@"\u0924", Encoding.ASCII.GetString(delivery.Body));
        var reserialized = Encoding.UTF8.GetBytes(JsonNode.Parse(delivery.Body)!.ToJsonString(new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) }));
        Assert.False(WebhookSignature.Verify(reserialized, delivery.Signature, SandboxHost.AppSecret));
        Assert.Equal("तेल 2 लिटर", delivery.Message!.Value.GetProperty("text").GetProperty("body").GetString());
    }
}

/// <summary>A sandbox whose app secret is not the one the webhook checks with.</summary>
public sealed class WrongSecretSandbox : SandboxHost
{
    public WrongSecretSandbox() => Settings["Sandbox:AppSecret"] = "not-the-app-secret";
}

public sealed class SandboxWrongSecretTests(WrongSecretSandbox sandbox) : IClassFixture<WrongSecretSandbox>
{
    [Fact]
    public async Task Signed_with_another_secret_the_webhook_answers_401_and_inbound_answers_the_same()
    {
        using var answer = await sandbox.InboundAsync(new { from = "+9779811000003", text = "namaste" });

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.False(Assert.Single(sandbox.Webhook.Messages("9779811000003").Take(1)).Verified);
    }
}
