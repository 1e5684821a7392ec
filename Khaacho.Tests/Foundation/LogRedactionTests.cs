using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Khaacho.Tests.Foundation;

public sealed class LogRedactionTests
{
    private const string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTkzIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJlLWJ5dGVz";

    [Theory]
    [InlineData("login from +9779865857931 failed", "login from ************31 failed")]
    [InlineData($"Authorization: Bearer {Jwt}", "Authorization: Bearer [redacted]")]
    [InlineData($"token {Jwt} rejected", "token [redacted] rejected")]
    [InlineData("connecting with password=hunter2;host=db", "connecting with password=[redacted];host=db")]
    [InlineData("Auth__SigningKey: abcdefghijklmnop", "Auth__SigningKey: [redacted]")]
    [InlineData("Ai__Providers__openai__ApiKey=sk-proj-abcdefghijklmnopqrstu", "Ai__Providers__openai__ApiKey=[redacted]")]
    [InlineData("provider refused key sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "provider refused key [redacted]")]
    [InlineData("x-api-key: sk-abcdefghijklmnopqrstuvwx", "x-api-key: [redacted]")]
    [InlineData("order 01a22a12-9b96-763a-9a38-e3fbf5f60c8b total 1649.80", "order 01a22a12-9b96-763a-9a38-e3fbf5f60c8b total 1649.80")]
    public void Secrets_tokens_and_phone_numbers_are_masked_and_ordinary_text_is_not(string text, string expected) =>
        Assert.Equal(expected, LogRedaction.Redact(text));

    [Fact]
    public void The_json_console_line_keeps_order_and_trace_fields_and_loses_secrets()
    {
        var orderId = Guid.CreateVersion7();
        var output = Capture(logger =>
        {
            using (logger.BeginScope(new Dictionary<string, object> { ["JobId"] = orderId }))
            {
                logger.LogInformation("Order {OrderId} from {Phone} with {Password} and {AccessToken}", orderId, "+9779865857931", "khaacho-demo", Jwt);
            }
        });

        Assert.DoesNotContain("9865857931", output);
        Assert.DoesNotContain("khaacho-demo", output);
        Assert.DoesNotContain("eyJ", output);
        using var line = JsonDocument.Parse(output);
        Assert.Equal(orderId.ToString(), line.RootElement.GetProperty("orderId").GetString());
        Assert.Equal(orderId.ToString(), line.RootElement.GetProperty("jobId").GetString());
        Assert.Equal("[redacted]", line.RootElement.GetProperty("password").GetString());
        Assert.Equal("Information", line.RootElement.GetProperty("level").GetString());
    }

    private static string Capture(Action<ILogger> log)
    {
        var formatter = new RedactingJsonConsoleFormatter();
        var scopes = new LoggerExternalScopeProvider();
        var writer = new StringWriter();
        var logger = new CapturingLogger(formatter, scopes, writer);
        log(logger);
        return writer.ToString().Trim();
    }

    private sealed class CapturingLogger(RedactingJsonConsoleFormatter formatter, IExternalScopeProvider scopes, TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format) =>
            formatter.Write(new Microsoft.Extensions.Logging.Abstractions.LogEntry<TState>(logLevel, "Khaacho.Test", eventId, state, exception, format), scopes, writer);
    }
}
