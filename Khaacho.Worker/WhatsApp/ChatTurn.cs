using Khaacho.Core.Data;
using Khaacho.Core.Messaging;
using Khaacho.Core.WhatsApp;

namespace Khaacho.Worker.WhatsApp;

/// <summary>
/// One inbound message being answered, inside the transaction that marks it handled: the conversation (locked), who
/// wrote, and the replies it queues, which commit with it or not at all.
/// </summary>
public sealed class ChatTurn(KhaachoDbContext db, Conversation conversation, ChatRecipient sender, ChatTexts texts, DateTimeOffset now)
{
    public KhaachoDbContext Db => db;
    public Conversation Conversation => conversation;
    public ChatRecipient Sender => sender;
    public DateTimeOffset Now => now;

    public string T(string key, params object[] arguments) => texts.Get(conversation.Language, key, arguments);

    public ChatTexts Texts => texts;

    public void Reply(string kind, string text, ChatContent? content = null, Guid? orderId = null) =>
        Outbox.Reply(db, sender, kind, text, now, content, orderId);

    public ChatDraft? Draft => ChatDraft.FromJson(conversation.Draft);

    public void Keep(ChatDraft draft, DateTimeOffset expiresAt)
    {
        conversation.Draft = draft.ToJson();
        conversation.DraftExpiresAt = expiresAt;
    }

    public void Drop()
    {
        conversation.Draft = null;
        conversation.DraftExpiresAt = null;
    }
}
