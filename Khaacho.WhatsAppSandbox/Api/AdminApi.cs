using System.Text.RegularExpressions;
using Khaacho.WhatsAppSandbox.Chat;
using Khaacho.WhatsAppSandbox.Graph;
using Khaacho.WhatsAppSandbox.Hosting;
using Khaacho.WhatsAppSandbox.Webhook;
using Microsoft.Extensions.Options;

namespace Khaacho.WhatsAppSandbox.Api;

/// <summary>For tests: the customer-service window's clock, injected Graph API faults, and the sandbox's own state.</summary>
public static partial class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        // Pretend the contact last wrote at "at" (null: never), e.g. 25 hours ago to put them outside the 24-hour window.
        app.MapPost("/api/contacts/{phone}/last-inbound", (string phone, LastInboundRequest request, ChatStore store) =>
        {
            if (!Phone().IsMatch(phone)) return Results.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["E.164, e.g. +9779800000001."] });
            store.SetLastInbound(phone, request.At);
            return Results.NoContent();
        });

        app.MapPost("/api/faults", (FaultRequest request, FaultInjection faults) =>
        {
            if (!FaultInjection.Codes.Contains(request.Code))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["code"] = [$"One of {string.Join(", ", FaultInjection.Codes)}."] });
            if (request.Count is < 1 or > 1000) return Results.ValidationProblem(new Dictionary<string, string[]> { ["count"] = ["Between 1 and 1000 (default 1)."] });
            faults.Add(request.Code, request.Count ?? 1);
            return Results.Json(View(faults), SandboxJsonContext.Default.FaultsView);
        });
        app.MapGet("/api/faults", (FaultInjection faults) => Results.Json(View(faults), SandboxJsonContext.Default.FaultsView));
        app.MapDelete("/api/faults", (FaultInjection faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });

        app.MapGet("/api/status", (HttpRequest request, SandboxStatus status, FaultInjection faults, IOptions<SandboxOptions> options) =>
            Results.Json(new StatusView(
                options.Value.WebhookUrl!.ToString(),
                $"{request.Scheme}://{request.Host}/v21.0/",
                options.Value.PhoneNumberId,
                new HandshakeView(status.HandshakeState, status.HandshakeAnswer, status.HandshakeAttempts, status.HandshakeAt),
                new DeliveriesView(status.Delivered, status.Retried, status.Failed),
                faults.Pending()), SandboxJsonContext.Default.StatusView));
    }

    private static FaultsView View(FaultInjection faults) => new(faults.Pending(), FaultInjection.Codes);

    [GeneratedRegex(SandboxOptions.E164)]
    private static partial Regex Phone();
}
