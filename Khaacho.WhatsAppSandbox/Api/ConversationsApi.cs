using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Webhook;

namespace Khaacho.WhatsAppSandbox.Api;

/// <summary>What each phone shows, for the page, tests and scripts; and the read receipts the page triggers.</summary>
public static class ConversationsApi
{
    public static void MapConversationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/contacts", (DemoContacts contacts) => TypedResults.Json(contacts.All, SandboxJsonContext.Default.IReadOnlyListDemoContact));

        app.MapGet("/api/conversations/{phone}", (string phone, ChatStore store) =>
            TypedResults.Json(store.Conversation(phone).Select(MessageView.Of).ToList(), SandboxJsonContext.Default.ListMessageView));

        // The page calls this when it shows a conversation: what was delivered becomes read, with a "read" status callback each.
        app.MapPost("/api/conversations/{phone}/read", (string phone, ChatStore store, StatusCallbacks callbacks) =>
        {
            foreach (var message in store.Conversation(phone).Where(m => m.Direction == Direction.Out && m.Status is "accepted" or "sent" or "delivered"))
            {
                callbacks.Read(message);
            }
            return TypedResults.NoContent();
        });
    }
}
