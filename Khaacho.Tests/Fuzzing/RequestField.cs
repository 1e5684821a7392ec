using Khaacho.Tests.Contract;
using Microsoft.OpenApi;

namespace Khaacho.Tests.Fuzzing;

public enum FieldLocation { Path, Query, Header, Body, Element }

/// <summary>One thing a request can carry: a parameter, a body property, or a property of the first element of a body array.</summary>
public sealed record RequestField(FieldLocation Location, string Name, IOpenApiSchema? Schema, bool Required)
{
    public override string ToString() => Location == FieldLocation.Element ? $"body.items[0].{Name}" : $"{Location.ToString().ToLowerInvariant()}.{Name}";

    /// <summary>The operation's parameters, its body's properties, and those of its first array element (order lines).</summary>
    public static IReadOnlyList<RequestField> Of(ApiOperation operation)
    {
        var fields = operation.Parameters.Select(p => new RequestField(
            p.In switch { ParameterLocation.Path => FieldLocation.Path, ParameterLocation.Header => FieldLocation.Header, _ => FieldLocation.Query },
            p.Name!, p.Schema, p.Required)).ToList();
        foreach (var (name, schema) in operation.Body?.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            fields.Add(new RequestField(FieldLocation.Body, name, schema, operation.Body!.Required?.Contains(name) == true));
            if (schema.Items?.Properties is { } element)
                fields.AddRange(element.Select(e => new RequestField(FieldLocation.Element, e.Key, e.Value, true)));
        }
        return fields;
    }
}
