using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Khaacho.Tests.Hosting;
using Khaacho.WhatsAppSandbox.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Khaacho.Tests.WhatsApp;

/// <summary>
/// The WhatsApp sandbox on a real Kestrel port in the test process, exactly as its Program.cs builds it, posting to a
/// <see cref="FakeWebhook"/> in place of the api. Timings are shortened (status callbacks, retries, handshake).
/// </summary>
public class SandboxHost : IAsyncLifetime
{
    public const string AppSecret = "test-app-secret";
    public const string VerifyToken = "test-verify-token";
    public const string AccessToken = "test-access-token";
    public const string PhoneNumberId = "100000000000001";

    private WebApplication? app;

    public FakeWebhook Webhook { get; } = new(AppSecret, VerifyToken);

    public string BaseUrl { get; private set; } = "";

    public string MessagesUrl => $"{BaseUrl}/v21.0/{PhoneNumberId}/messages";

    public HttpClient Client { get; } = new();

    /// <summary>Settings a test class changes, e.g. a wrong verify token.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Khaacho.WhatsAppSandbox",
            ContentRootPath = Path.Combine(RepositoryRoot.Path, "Khaacho.WhatsAppSandbox"),
            EnvironmentName = Environments.Development,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:WebhookUrl"] = Webhook.Url,
            ["Sandbox:AppSecret"] = AppSecret,
            ["Sandbox:VerifyToken"] = VerifyToken,
            ["Sandbox:AccessToken"] = AccessToken,
            ["Sandbox:PhoneNumberId"] = PhoneNumberId,
            ["Sandbox:CatalogPath"] = Path.Combine(RepositoryRoot.Path, "Khaacho.Worker/Database/Seed/catalog.json"),
            ["Sandbox:StatusDelay"] = "00:00:00.05",
            ["Sandbox:WebhookRetryDelay"] = "00:00:00.1",
            ["Sandbox:HandshakeRetryDelay"] = "00:00:00.2",
        });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddSandbox();
        app = builder.Build();
        app.MapSandbox();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        BaseUrl = app.Urls.First().TrimEnd('/');
        Client.BaseAddress = new Uri(BaseUrl);
    }

    /// <summary>A Graph API send, as the Khaacho workers make it.</summary>
    public async Task<HttpResponseMessage> SendAsync(object body, string? token = AccessToken, string? url = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url ?? MessagesUrl) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    /// <summary>A send that must be accepted: its wamid.</summary>
    public async Task<string> SendOkAsync(object body)
    {
        using var response = await SendAsync(body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"send answered {(int)response.StatusCode}: {json}");
        return json.GetProperty("messages")[0].GetProperty("id").GetString()!;
    }

    public Task<HttpResponseMessage> InboundAsync(object body) => Client.PostAsJsonAsync("/api/inbound", body);

    public async Task<JsonElement> ConversationAsync(string phone) =>
        await Client.GetFromJsonAsync<JsonElement>($"/api/conversations/{Uri.EscapeDataString(phone)}");

    /// <summary>Opens the customer-service window as a contact writing would, without a webhook delivery to look at.</summary>
    public async Task SetLastInboundAsync(string phone, DateTimeOffset? at)
    {
        using var response = await Client.PostAsJsonAsync($"/api/contacts/{Uri.EscapeDataString(phone)}/last-inbound", new { at });
        response.EnsureSuccessStatusCode();
    }

    public static object Text(string phone, string body, string? callbackData = null) => new Dictionary<string, object?>
    {
        ["messaging_product"] = "whatsapp",
        ["recipient_type"] = "individual",
        ["to"] = phone.TrimStart('+'),
        ["type"] = "text",
        ["text"] = new { body },
        ["biz_opaque_callback_data"] = callbackData,
    }.Where(p => p.Value is not null).ToDictionary();

    public static object Buttons(string phone, string body, params (string Id, string Title)[] buttons) => new
    {
        messaging_product = "whatsapp",
        recipient_type = "individual",
        to = phone.TrimStart('+'),
        type = "interactive",
        interactive = new
        {
            type = "button",
            body = new { text = body },
            action = new { buttons = buttons.Select(b => new { type = "reply", reply = new { id = b.Id, title = b.Title } }).ToArray() },
        },
    };

    public static object List(string phone, string body, params (string Id, string Title, string Description)[] rows) => new
    {
        messaging_product = "whatsapp",
        to = phone.TrimStart('+'),
        type = "interactive",
        interactive = new
        {
            type = "list",
            body = new { text = body },
            action = new { button = "Choose", sections = new[] { new { title = "Products", rows = rows.Select(r => new { id = r.Id, title = r.Title, description = r.Description }).ToArray() } } },
        },
    };

    public static object Template(string phone, string name, string language, string[] parameters, string[]? payloads = null, string? callbackData = null)
    {
        var components = new List<object> { new { type = "body", parameters = parameters.Select(p => new { type = "text", text = p }).ToArray() } };
        components.AddRange((payloads ?? []).Select((payload, i) => (object)new
        {
            type = "button",
            sub_type = "quick_reply",
            index = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            parameters = new[] { new { type = "payload", payload } },
        }));
        return new Dictionary<string, object?>
        {
            ["messaging_product"] = "whatsapp",
            ["to"] = phone.TrimStart('+'),
            ["type"] = "template",
            ["template"] = new { name, language = new { code = language }, components },
            ["biz_opaque_callback_data"] = callbackData,
        }.Where(p => p.Value is not null).ToDictionary();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await Webhook.DisposeAsync();
        Client.Dispose();
    }
}
