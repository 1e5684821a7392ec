using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Hosting;
using Khaacho.WhatsAppSandbox.Webhook;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Graph;

/// <summary>
/// The Graph API's <c>POST /{version}/{phone-number-id}/messages</c>, as the Khaacho workers call it: checks the
/// token, the number and the body as Meta does, applies the 24-hour customer-service window and any injected fault,
/// stores the message and answers with its wamid; the status callbacks follow.
/// </summary>
public static class GraphApi
{
    public static void MapGraphApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/{version:regex(^v[0-9]+\\.[0-9]+$)}/{phoneNumberId}/messages", SendAsync).ExcludeFromDescription();

    private static async Task<IResult> SendAsync(
        string phoneNumberId, HttpRequest request, IOptions<SandboxOptions> options, TemplateCatalogue templates,
        FaultInjection faults, ChatStore store, StatusCallbacks callbacks, TimeProvider clock, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!Authorized(request, settings.AccessToken)) return GraphError.InvalidToken().ToResult();
        if (phoneNumberId != settings.PhoneNumberId) return GraphError.UnknownPhoneNumber(phoneNumberId).ToResult();

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        var (send, error) = SendRequestReader.Read(body.GetBuffer().AsSpan(0, (int)body.Length), templates);
        if (error is not null) return error.ToResult();

        var fault = faults.Take();
        if (fault == 130429) return GraphError.RateLimit().ToResult();
        if (fault == 131000) return GraphError.Unknown().ToResult();

        var now = clock.GetUtcNow();
        var message = new ChatMessage
        {
            Id = MessageIds.NewWamid(),
            Phone = send!.Phone,
            Direction = Direction.Out,
            Type = send.Type,
            Text = send.Text,
            Buttons = send.Buttons,
            Options = send.Options,
            OptionsLabel = send.OptionsLabel,
            Template = send.Template,
            Language = send.Language,
            CallbackData = send.CallbackData,
            Timestamp = now,
        };
        message.Advance("accepted");
        store.Add(message);

        // Meta accepts these and reports the failure by status callback, not in the answer.
        var outsideWindow = send.Template is null && (store.LastInbound(send.Phone) is not { } last || now - last >= settings.CustomerServiceWindow);
        if (fault == 131026)
            callbacks.Failed(message, WebhookPayloads.Errors(131026, "Message undeliverable", "Message Undeliverable."));
        else if (fault == 131047 || outsideWindow)
            callbacks.Failed(message, WebhookPayloads.Errors(131047, "Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the customer last replied to this number."));
        else
            callbacks.Accepted(message);

        var to = MessageIds.WaId(send.Phone);
        var answer = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = message.Id }),
        };
        return Results.Text(answer.ToJsonString(WireJson.Options), "application/json");
    }

    private static bool Authorized(HttpRequest request, string accessToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(accessToken));
    }
}
