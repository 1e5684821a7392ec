using System.Collections.Concurrent;

namespace Khaacho.WhatsAppSandbox.Chat;

/// <summary>Every conversation, in memory, by the contact's E.164 phone: the sandbox keeps what a phone would show.</summary>
public sealed class ChatStore
{
    private readonly ConcurrentDictionary<string, ContactThread> conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ChatMessage> byId = new(StringComparer.Ordinal);

    public void Add(ChatMessage message)
    {
        var conversation = conversations.GetOrAdd(message.Phone, _ => new ContactThread());
        lock (conversation.Messages)
        {
            conversation.Messages.Add(message);
            if (message.Direction == Direction.In) conversation.LastInbound = message.Timestamp;
        }
        byId[message.Id] = message;
    }

    public IReadOnlyList<ChatMessage> Conversation(string phone)
    {
        if (!conversations.TryGetValue(phone, out var conversation)) return [];
        lock (conversation.Messages) return [.. conversation.Messages];
    }

    public ChatMessage? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>When the contact last wrote; null when never. Sets the customer-service window.</summary>
    public DateTimeOffset? LastInbound(string phone)
    {
        if (!conversations.TryGetValue(phone, out var conversation)) return null;
        lock (conversation.Messages) return conversation.LastInbound;
    }

    /// <summary>The clock override for tests: pretend the contact last wrote at <paramref name="at"/> (null: never).</summary>
    public void SetLastInbound(string phone, DateTimeOffset? at)
    {
        var conversation = conversations.GetOrAdd(phone, _ => new ContactThread());
        lock (conversation.Messages) conversation.LastInbound = at;
    }

    private sealed class ContactThread
    {
        public List<ChatMessage> Messages { get; } = [];
        public DateTimeOffset? LastInbound { get; set; }
    }
}
