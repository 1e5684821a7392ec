using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Khaacho.Tests.WhatsApp;

/// <summary>The Graph API side refuses what Meta refuses, with Meta's error bodies, so the workers' error handling is tested for real.</summary>
public sealed class SandboxGraphApiTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    private const string Phone = "+9779811000101";

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task A_missing_or_wrong_access_token_is_401_with_OAuthException_code_190(string? token)
    {
        using var response = await sandbox.SendAsync(SandboxHost.Text(Phone, "Namaste"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal(190, error.GetProperty("code").GetInt32());
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));
        Assert.DoesNotContain((await sandbox.ConversationAsync(Phone)).EnumerateArray(), m => m.GetProperty("text").GetString() == "Namaste");
    }

    [Fact]
    public async Task Another_phone_number_id_is_400_code_100()
    {
        using var response = await sandbox.SendAsync(SandboxHost.Text(Phone, "Namaste"), url: $"{sandbox.BaseUrl}/v21.0/999999/messages");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(100, (await ErrorAsync(response)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_good_send_answers_Metas_shape_with_a_unique_wamid()
    {
        using var response = await sandbox.SendAsync(SandboxHost.Text(Phone, "Order received"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("whatsapp", body.GetProperty("messaging_product").GetString());
        var contact = Assert.Single(body.GetProperty("contacts").EnumerateArray());
        Assert.Equal("9779811000101", contact.GetProperty("input").GetString());
        Assert.Equal("9779811000101", contact.GetProperty("wa_id").GetString());
        var id = Assert.Single(body.GetProperty("messages").EnumerateArray()).GetProperty("id").GetString();
        Assert.StartsWith("wamid.", id);
        Assert.NotEqual(id, await sandbox.SendOkAsync(SandboxHost.Text(Phone, "Order received")));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "not json", "not a JSON object" },
        { """{"to":"9779811000101","type":"text","text":{"body":"x"}}""", "messaging_product" },
        { """{"messaging_product":"whatsapp","to":"abc","type":"text","text":{"body":"x"}}""", "to" },
        { """{"messaging_product":"whatsapp","to":"9779811000101","type":"text","text":{}}""", "text.body" },
        { """{"messaging_product":"whatsapp","to":"9779811000101","type":"interactive","interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}},{"type":"reply","reply":{"id":"b","title":"B"}},{"type":"reply","reply":{"id":"c","title":"C"}},{"type":"reply","reply":{"id":"d","title":"D"}}]}}}""", "Buttons count is 4" },
        { """{"messaging_product":"whatsapp","to":"9779811000101","type":"interactive","interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"Twenty-one characters"}}]}}}""", "Button title length is 21" },
        { """{"messaging_product":"whatsapp","to":"9779811000101","type":"interactive","interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}},{"type":"reply","reply":{"id":"a","title":"B"}}]}}}""", "unique" },
        { """{"messaging_product":"whatsapp","to":"9779811000101","type":"interactive","interactive":{"type":"list","body":{"text":"Pick"},"action":{"button":"Choose","sections":[{"title":"All","rows":[{"id":"1","title":"1"},{"id":"2","title":"2"},{"id":"3","title":"3"},{"id":"4","title":"4"},{"id":"5","title":"5"},{"id":"6","title":"6"},{"id":"7","title":"7"},{"id":"8","title":"8"},{"id":"9","title":"9"},{"id":"10","title":"10"},{"id":"11","title":"11"}]}]}}}""", "Total row count is 11" },
        { """{"messaging_product":"whatsapp","to":"9779811000101","type":"interactive","interactive":{"type":"button","action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}}]}}}""", "interactive.body.text" },
        { """{"messaging_product":"whatsapp","to":"9779811000101","type":"template","template":{"name":"khaacho_order_update"}}""", "template.language.code" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_sends_are_400_code_100_saying_what_is_wrong(string body, string details)
    {
        using var response = await sandbox.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, sandbox.MessagesUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { Authorization = new("Bearer", SandboxHost.AccessToken) },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Contains(details, error.GetProperty("error_data").GetProperty("details").GetString());
    }

    [Fact]
    public async Task A_known_template_with_the_wrong_number_of_parameters_is_132000()
    {
        using var response = await sandbox.SendAsync(SandboxHost.Template(Phone, "khaacho_order_update", "en", ["ORD-1"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(132000, (await ErrorAsync(response)).GetProperty("code").GetInt32());
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
    }
}
