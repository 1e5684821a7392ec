namespace Khaacho.Deploy.Manifest;

/// <summary>A manifest value with its references resolved: literal text, and the secrets and parameters an operator supplies.</summary>
public sealed record ResolvedValue(IReadOnlyList<ValuePart> Parts)
{
    public static ResolvedValue Of(string literal) => new([new LiteralPart(literal)]);

    public bool IsLiteral => Parts.All(p => p is LiteralPart);
    public string Literal => string.Concat(Parts.Select(p => p is LiteralPart l ? l.Text : throw new InvalidOperationException("not a literal")));
    public IEnumerable<SuppliedPart> Supplied => Parts.OfType<SuppliedPart>();

    public ResolvedValue Concat(ResolvedValue other) => new(Merge(Parts.Concat(other.Parts)));

    private static List<ValuePart> Merge(IEnumerable<ValuePart> parts)
    {
        var merged = new List<ValuePart>();
        foreach (var part in parts)
        {
            if (part is LiteralPart { Text: "" }) continue;
            if (part is LiteralPart next && merged.Count > 0 && merged[^1] is LiteralPart previous)
                merged[^1] = new LiteralPart(previous.Text + next.Text);
            else
                merged.Add(part);
        }
        return merged;
    }
}

public abstract record ValuePart;

public sealed record LiteralPart(string Text) : ValuePart;

/// <summary>A value the operator supplies at deploy time: a key of the generated Secret, or of the parameters ConfigMap.</summary>
public sealed record SuppliedPart(string Key, bool Secret) : ValuePart;
