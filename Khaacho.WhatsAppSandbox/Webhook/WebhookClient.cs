using System.Net.Http.Headers;
using Khaacho.WhatsAppSandbox.Hosting;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Webhook;

/// <summary>One signed POST of a payload to the webhook: the answer's status code, or null when nothing answered.</summary>
public sealed class WebhookClient(IHttpClientFactory http, IOptions<SandboxOptions> options)
{
    public const string HttpClientName = "webhook";

    public async Task<int?> PostAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.WebhookUrl) { Content = content };
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(payload, settings.AppSecret));
        request.Headers.UserAgent.ParseAdd("facebookexternalua");
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public static bool Succeeded(int? status) => status is >= 200 and < 300;

    public static string Describe(int? status) => status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unreachable";
}
