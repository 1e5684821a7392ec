using CsCheck;
using Khaacho.Tests.Contract;

namespace Khaacho.Tests.Fuzzing;

/// <summary>
/// Requests for one operation: a valid one (a third of the time), or a valid one with one mutation: of a parameter,
/// a body property, an order line's property, or the request as a whole. Every principal is used, anonymous included.
/// </summary>
public static class RequestGenerator
{
    public static Gen<FuzzRequest> For(ApiOperation operation, FuzzContext context)
    {
        var values = new ValidValues(context, operation);
        var fields = RequestField.Of(operation);
        var principal = Gen.Frequency((1, Gen.Const(context.Principals[0])), (8, Gen.OneOf([.. context.Principals.Skip(1).Select(Gen.Const)])));
        var raw = ValidValues.Sequence(fields.Where(f => f.Location is not (FieldLocation.Body or FieldLocation.Element))
            .Select(f => values.Raw(f).Select(value => (f.Name, value))));
        var body = operation.Body is null ? Gen.Const(() => new List<(RequestField, string)>()) : values.Body(fields);
        var fieldMutations = fields.Select(f => Mutation.OfField(f, values.Line(0))).ToArray();
        var mutation = Gen.Frequency(
            (3, Gen.Const(Mutation.None)),
            (5, fieldMutations.Length == 0 ? Gen.Const(Mutation.None) : Gen.OneOf(fieldMutations)),
            (3, Mutation.OfRequest(operation, context)));

        return Gen.Select(principal, raw, body, mutation, (who, parameters, members, change) =>
        {
            var draft = new RequestDraft(operation) { Principal = who.Name, Body = [.. members.Select(m => (m.Item1.Name, m.Item2))] };
            if (who.Token is not null) draft.Headers.Add(("Authorization", $"Bearer {who.Token}"));
            foreach (var (name, value) in parameters.Where(p => p.value is not null)) draft.Raw[name] = [value!];
            change.Apply(draft);
            return draft.Build(change.Name);
        });
    }
}
