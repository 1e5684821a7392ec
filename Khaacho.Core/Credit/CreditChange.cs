namespace Khaacho.Core.Credit;

/// <summary>The audit trail of credit administration: a limit, terms, a block or an unblock, who changed it and why.</summary>
public sealed class CreditChange
{
    public const int MaxReasonLength = 300;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RetailerId { get; set; }
    public CreditChangeKind Kind { get; set; }
    public required string Before { get; set; }
    public required string After { get; set; }
    public required string Reason { get; set; }
    public required string Actor { get; set; }
    public DateTimeOffset At { get; set; }
}

public enum CreditChangeKind
{
    Limit,
    Terms,
    Block,
    Unblock,
}
