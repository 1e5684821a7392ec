using System.Net;
using System.Text;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.Contract;

/// <summary>
/// The check every whole-app test's api client makes, against the served document, fed answers the api did not give:
/// what it lets through, and what it refuses.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DocumentedResponsesTests(KhaachoAppFixture fixture)
{
    private const string ProblemJson = "application/problem+json";
    private const string Vendor = """{"id":"0193a7b0-0000-7000-8000-000000000001","code":"V-1","name":"Bhatbhateni","city":"Kathmandu","province":"Bagmati","rating":4.5}""";
    private const string OrderId = "0193a7b0-0000-7000-8000-0000000000aa";

    [Fact]
    public async Task An_answer_as_documented_passes_and_the_test_can_still_read_its_body()
    {
        using var response = await SendAsync("GET", "/api/v1/vendors", HttpStatusCode.OK, "application/json", $"[{Vendor}]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Bhatbhateni", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_documented_problem_with_a_trace_id_and_field_errors_passes()
    {
        const string problem = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"The order is not valid","status":400,"errors":{"items[0].quantity":["Must be 1 to 10000."]},"traceId":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}""";

        using var response = await SendAsync("POST", "/api/v1/orders", HttpStatusCode.BadRequest, ProblemJson, problem);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_status_the_operation_does_not_document_fails()
    {
        var failure = await FailureAsync("GET", "/api/v1/vendors", HttpStatusCode.Conflict, ProblemJson, """{"title":"Conflict","status":409}""");

        Assert.Equal("GET /api/v1/vendors", failure.Operation);
        Assert.StartsWith("409 is not documented", failure.Violation);
        Assert.Contains("\"title\":\"Conflict\"", failure.Message);
    }

    [Fact]
    public async Task A_property_the_schema_does_not_allow_fails()
    {
        var failure = await FailureAsync("GET", "/api/v1/vendors", HttpStatusCode.OK, "application/json", $"[{Vendor[..^1]},\"creditLimit\":50000}}]");

        Assert.Contains("$[0]: 'creditLimit' is not in the document", failure.Violation);
    }

    [Fact]
    public async Task A_missing_required_property_fails()
    {
        var failure = await FailureAsync("GET", "/api/v1/vendors", HttpStatusCode.OK, "application/json",
            $"[{Vendor.Replace("\"city\":\"Kathmandu\",", "", StringComparison.Ordinal)}]");

        Assert.Contains("$[0]: required 'city' is missing", failure.Violation);
    }

    [Theory]
    [InlineData("""{"replayed":"many"}""", "$.replayed: 'many'")]
    [InlineData("""{"replayed":1.5}""", "$.replayed: Number where the document says")]
    [InlineData("""{"replayed":null}""", "$.replayed: Null where the document says")]
    [InlineData("""{"replayed":3000000000}""", "$.replayed: 3000000000 is not an int32")]
    public async Task A_value_of_the_wrong_type_fails(string body, string expected)
    {
        var failure = await FailureAsync("POST", "/api/v1/admin/dead-letters/replay?stream=orders", HttpStatusCode.Accepted, "application/json", body);

        Assert.Contains(expected, failure.Violation);
    }

    [Fact]
    public async Task An_id_that_is_not_a_uuid_fails()
    {
        var failure = await FailureAsync("GET", "/api/v1/vendors", HttpStatusCode.OK, "application/json", $"[{Vendor.Replace("0193a7b0-0000-7000-8000-000000000001", "V-1", StringComparison.Ordinal)}]");

        Assert.Contains("$[0].id: 'V-1' is not a uuid", failure.Violation);
    }

    [Fact]
    public async Task A_time_that_is_not_rfc_3339_fails()
    {
        const string letter = """[{"id":"1-0","stream":"orders","originalId":"1-0","payload":"{}","attempts":5,"error":"x","firstSeenAt":"12/04/2026 10:00:00","deadLetteredAt":"2026-12-04T10:00:00.123+05:45"}]""";

        var failure = await FailureAsync("GET", "/api/v1/admin/dead-letters?stream=orders", HttpStatusCode.OK, "application/json", letter);

        Assert.Equal("200 body differs from the document: $[0].firstSeenAt: '12/04/2026 10:00:00' is not a date-time", failure.Violation);
    }

    [Fact]
    public async Task A_problem_sent_as_plain_json_fails()
    {
        var failure = await FailureAsync("GET", $"/api/v1/orders/{OrderId}/status", HttpStatusCode.NotFound, "application/json", """{"title":"Not found","status":404}""");

        Assert.Equal("GET /api/v1/orders/{id}/status", failure.Operation);
        Assert.Equal($"404 as application/json, documented: {ProblemJson}", failure.Violation);
    }

    [Fact]
    public async Task An_error_without_a_body_fails()
    {
        var failure = await FailureAsync("GET", $"/api/v1/orders/{OrderId}", HttpStatusCode.Unauthorized, contentType: null, body: "");

        Assert.Equal("GET /api/v1/orders/{id}", failure.Operation);
        Assert.StartsWith("401 without a content type or body", failure.Violation);
    }

    [Fact]
    public async Task A_header_the_document_promises_must_be_there()
    {
        var failure = await FailureAsync("GET", "/api/v1/vendors", HttpStatusCode.TooManyRequests, ProblemJson, """{"title":"Too many requests","status":429}""");

        Assert.Equal("429 without its Retry-After header", failure.Violation);
    }

    [Fact]
    public async Task A_path_the_document_does_not_have_fails_unless_it_is_listed_as_outside_it()
    {
        var failure = await FailureAsync("GET", "/api/v1/orders/export/all", HttpStatusCode.OK, "application/json", "[]");
        using var health = await SendAsync("GET", "/health/ready", HttpStatusCode.ServiceUnavailable, "text/plain", "Unhealthy");

        Assert.Contains("is no operation of the document", failure.Violation);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task A_request_marked_as_leaving_the_document_passes_only_where_it_reaches_no_operation()
    {
        using var offDocument = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/vendors");
        offDocument.Options.Set(DocumentedResponses.MayLeaveTheDocument, true);
        using var onDocument = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vendors");
        onDocument.Options.Set(DocumentedResponses.MayLeaveTheDocument, true);

        using var passed = await ClientAnswering(HttpStatusCode.MethodNotAllowed, ProblemJson, """{"title":"Method Not Allowed","status":405}""").SendAsync(offDocument);
        var failure = await Assert.ThrowsAsync<UndocumentedResponseException>(() =>
            ClientAnswering(HttpStatusCode.MethodNotAllowed, ProblemJson, """{"title":"Method Not Allowed","status":405}""").SendAsync(onDocument));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, passed.StatusCode);
        Assert.StartsWith("405 is not documented", failure.Violation);
    }

    [Fact]
    public async Task A_literal_path_segment_is_matched_before_a_parameter()
    {
        var failure = await FailureAsync("POST", "/api/v1/admin/dead-letters/replay?stream=orders", HttpStatusCode.NotFound, ProblemJson, """{"title":"Not found","status":404}""");

        Assert.Equal("POST /api/v1/admin/dead-letters/replay", failure.Operation);
        Assert.StartsWith("404 is not documented", failure.Violation);
    }

    [Fact]
    public async Task The_clients_the_tests_get_for_the_api_check_what_the_running_api_answers()
    {
        using var anonymous = fixture.CreateHttpClient("api");
        using var retailer = await fixture.LoginAsync(ApiClient.Retailer1Phone);

        var failure = await Assert.ThrowsAsync<UndocumentedResponseException>(() => anonymous.GetAsync("/api/v1/catalogue"));
        var signedIn = await Assert.ThrowsAsync<UndocumentedResponseException>(() => retailer.DeleteAsync("/api/v1/vendors"));
        using var health = await anonymous.GetAsync("/health/live");

        Assert.Equal("GET /api/v1/catalogue is no operation of the document (answered 404)", failure.Violation);
        Assert.Equal("DELETE /api/v1/vendors is no operation of the document (answered 405)", signedIn.Violation);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string method, string pathAndQuery, HttpStatusCode status, string? contentType, string body) =>
        ClientAnswering(status, contentType, body).SendAsync(new HttpRequestMessage(new HttpMethod(method), pathAndQuery));

    private Task<UndocumentedResponseException> FailureAsync(string method, string pathAndQuery, HttpStatusCode status, string? contentType, string body) =>
        Assert.ThrowsAsync<UndocumentedResponseException>(() => SendAsync(method, pathAndQuery, status, contentType, body));

    private HttpClient ClientAnswering(HttpStatusCode status, string? contentType, string body) =>
        new(new DocumentedResponses(fixture.Document, new CannedAnswer(status, contentType, body))) { BaseAddress = new Uri("http://api.invalid") };

    /// <summary>Answers every request with the same response, as the api never would.</summary>
    private sealed class CannedAnswer(HttpStatusCode status, string? contentType, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return Task.FromResult(new HttpResponseMessage(status) { Content = content, RequestMessage = request });
        }
    }
}
