using CsCheck;
using Khaacho.Tests.Contract;

namespace Khaacho.Tests.Fuzzing;

/// <summary>Values the server should accept, by field: real codes, ids and statuses, so valid requests get past validation.</summary>
public sealed class ValidValues(FuzzContext context, ApiOperation operation)
{
    /// <summary>Raw text for a path, query or header field; null leaves an optional field out.</summary>
    public Gen<string?> Raw(RequestField field)
    {
        Gen<string?> value = field.Name switch
        {
            "id" when operation.Path.Contains("dead-letters") => Gen.OneOf<string?>("1-0", "0-1", "1764460800000-0", "18446744073709551615-0"),
            "id" or "orderId" => Gen.OneOf([.. context.OrderIds.Select(Gen.Const<string?>), Gen.Const<string?>(() => Guid.CreateVersion7().ToString())]),
            "status" => Gen.OneOf([.. FuzzContext.Statuses.Cast<string?>()]),
            "from" or "to" => Gen.Int[-3 * 24 * 60, 60].SelectMany(minutes => Gen.OneOf(0, 345, -300, 840).Select(offset =>
                (string?)DateTimeOffset.UtcNow.AddMinutes(minutes).ToOffset(TimeSpan.FromMinutes(offset)).ToString("O"))),
            "limit" => Gen.Int[1, 100].Select(n => (string?)HostileValues.Number(n)),
            "search" => Gen.OneOf<string?>("chini", "wai", "SUGAR", "a"),
            "category" => Gen.OneOf([.. context.Categories.Cast<string?>()]),
            "stream" => Gen.OneOf([.. FuzzContext.StreamNames.Cast<string?>()]),
            "Idempotency-Key" => Gen.Const<string?>(() => Guid.NewGuid().ToString()),
            _ => Gen.Const<string?>("x"),
        };
        return field.Required ? value : Gen.Frequency((3, value), (2, Gen.Const((string?)null)));
    }

    /// <summary>The request body: every property valid; of "items" and "text" exactly one, as an order must have.</summary>
    public Gen<List<(RequestField Field, string Json)>> Body(IReadOnlyList<RequestField> fields)
    {
        var body = fields.Where(f => f.Location == FieldLocation.Body).ToList();
        var hasChoice = body.Any(f => f.Name == "items") && body.Any(f => f.Name == "text");
        return Gen.Bool.SelectMany(useItems => Sequence(body
            .Where(f => !hasChoice || (f.Name == "items") == useItems || f.Name is not ("items" or "text"))
            .Select(f => Json(f, fields).Select(json => (f, json)))))
            .Select(members => members.Where(m => m.json is not null).Select(m => (m.f, m.json!)).ToList());
    }

    private Gen<string?> Json(RequestField field, IReadOnlyList<RequestField> fields)
    {
        Gen<string?> value = field.Name switch
        {
            "items" => Gen.Int[1, 3].SelectMany(count => Sequence(Enumerable.Range(0, count).Select(i => Line(i))))
                .Select(lines => (string?)JsonText.Array(lines.Distinct())),
            "text" => Gen.OneOf(FuzzContext.ChatTexts).Select(t => (string?)JsonText.Literal(t)),
            "notes" or "reason" or "note" => Gen.OneOf<string?>("\"side door please\"", "\"धन्यवाद\"", "\"\""),
            "vendorId" => Gen.OneOf([.. context.VendorIds.Select(v => Gen.Const<string?>(JsonText.Literal(v)))]),
            "priority" => Gen.OneOf<string?>("\"normal\"", "\"urgent\"", "\"low\""),
            "phone" => Gen.OneOf<string?>(JsonText.Literal(Hosting.ApiClient.Retailer1Phone), "\"+9779800000000\""),
            "password" => Gen.OneOf<string?>(JsonText.Literal(Hosting.ApiClient.DemoPassword), "\"wrong\""),
            "status" => Gen.OneOf([.. FuzzContext.Statuses.Select(s => Gen.Const<string?>(JsonText.Literal(s)))]),
            "decision" => Gen.OneOf<string?>("\"approve\"", "\"reject\""),
            "method" => Gen.OneOf<string?>("\"cash\"", "\"cheque\"", "\"esewa\"", "\"bank_transfer\""),
            "amount" or "creditLimit" => Gen.OneOf<string?>("100", "2500.50", "0.01", "-40"),
            "paymentTermsDays" => Gen.OneOf<string?>("30", "0", "365"),
            "reference" => Gen.Int[1, 99_999].Select(n => (string?)JsonText.Literal($"RCPT-{n}")),
            "receivedOn" => Gen.Const<string?>(JsonText.Literal(Core.Credit.NepalTime.DayOf(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
            _ => Gen.Const<string?>("\"x\""),
        };
        return field.Required && field.Schema?.Type?.HasFlag(Microsoft.OpenApi.JsonSchemaType.Null) != true
            ? value
            : Gen.Frequency((4, value), (1, Gen.Const((string?)null)));
    }

    /// <summary>An order line: a real product by code or by id, and a small quantity.</summary>
    public Gen<string> Line(int index) =>
        Gen.Bool.SelectMany(byCode => Gen.Int[0, context.ProductCodes.Count - 1].SelectMany(product => Gen.Int[1, 20].Select(quantity =>
            JsonText.Object([byCode ? ("productCode", JsonText.Literal(context.ProductCodes[product])) : ("productId", JsonText.Literal(context.ProductIds[product])),
                ("quantity", HostileValues.Number(quantity))]))));

    public static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(() => new List<T>()), (list, gen) => list.SelectMany(items => gen.Select(item => new List<T>(items) { item })));
}
