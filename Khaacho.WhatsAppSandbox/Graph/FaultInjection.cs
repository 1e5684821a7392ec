namespace Khaacho.WhatsAppSandbox.Graph;

/// <summary>How the next sends fail, for tests (<c>POST /api/faults</c>): each send takes one fault until none is left.</summary>
public sealed class FaultInjection
{
    /// <summary>The codes the sandbox can play, as Meta answers each: 130429 and 131000 refuse the request; 131026 and 131047 accept it and then fail it by status callback.</summary>
    public static readonly int[] Codes = [130429, 131000, 131026, 131047];

    private readonly Lock gate = new();
    private readonly Queue<int> pending = new();

    public void Add(int code, int count)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++) pending.Enqueue(code);
        }
    }

    public int? Take()
    {
        lock (gate) return pending.TryDequeue(out var code) ? code : null;
    }

    public IReadOnlyList<int> Pending()
    {
        lock (gate) return [.. pending];
    }

    public void Clear()
    {
        lock (gate) pending.Clear();
    }
}
