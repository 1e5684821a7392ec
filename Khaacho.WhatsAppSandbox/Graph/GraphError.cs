using System.Text.Json.Nodes;
using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Webhook;

namespace Khaacho.WhatsAppSandbox.Graph;

/// <summary>A Graph API error answer, with Meta's body: <c>{"error":{"message","type","code","error_data"?,"error_subcode"?,"fbtrace_id"}}</c>.</summary>
public sealed record GraphError(int HttpStatus, int Code, string Message, string Type = "OAuthException", string? Details = null, int? Subcode = null)
{
    public static GraphError InvalidToken() =>
        new(401, 190, "Invalid OAuth access token - Cannot parse access token");

    public static GraphError UnknownPhoneNumber(string id) =>
        new(400, 100, $"Unsupported post request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            "GraphMethodException", Subcode: 33);

    public static GraphError InvalidParameter(string details) => new(400, 100, "(#100) Invalid parameter", Details: details);

    public static GraphError ParameterCount(string details) =>
        new(400, 132000, "(#132000) Number of parameters does not match the expected number of params", Details: details);

    public static GraphError RateLimit() =>
        new(429, 130429, "(#130429) Rate limit hit", Details: "Cloud API message throughput has been reached.");

    public static GraphError Unknown() => new(500, 131000, "(#131000) Something went wrong", Details: "Something went wrong.");

    public IResult ToResult()
    {
        var error = new JsonObject { ["message"] = Message, ["type"] = Type, ["code"] = Code };
        if (Details is not null) error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = Details };
        if (Subcode is not null) error["error_subcode"] = Subcode;
        error["fbtrace_id"] = MessageIds.NewTraceId();
        return Results.Text(new JsonObject { ["error"] = error }.ToJsonString(WireJson.Options), "application/json", statusCode: HttpStatus);
    }
}
