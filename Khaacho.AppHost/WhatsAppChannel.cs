using Microsoft.Extensions.Configuration;

namespace Khaacho.AppHost;

/// <summary>
/// The WhatsApp Cloud API settings every project that sends (api, workers) and the api's webhook receive:
/// <c>WhatsApp__GraphApiUrl</c> (with the version, ending in <c>/</c>), <c>WhatsApp__PhoneNumberId</c>,
/// <c>WhatsApp__AccessToken</c>; the api also <c>WhatsApp__AppSecret</c> and <c>WhatsApp__VerifyToken</c>.
/// <list type="bullet">
/// <item>A published manifest: parameters only (the three secrets, the phone number id, the Graph API URL defaulting to Meta's).</item>
/// <item>Running, with <c>WhatsApp:GraphApiUrl</c> configured (a real number, or a test's stub): the configured values,
/// from <c>WhatsApp:*</c> or the parameters <c>whatsapp-*</c>; no sandbox.</item>
/// <item>Running with nothing configured: the <c>whatsapp-sandbox</c> project stands in for Meta, with generated secrets.</item>
/// </list>
/// </summary>
internal sealed class WhatsAppChannel
{
    public const string SandboxResource = "whatsapp-sandbox";
    public const string SandboxPhoneNumberId = "100000000000001";
    public const string GraphApiVersion = "v21.0";
    public const string MetaGraphApiUrl = $"https://graph.facebook.com/{GraphApiVersion}/";
    public const string WebhookPath = "/api/v1/whatsapp/webhook";

    public required ReferenceExpression GraphApiUrl { get; init; }
    public required ReferenceExpression PhoneNumberId { get; init; }
    public required IResourceBuilder<ParameterResource> AccessToken { get; init; }
    public required IResourceBuilder<ParameterResource> AppSecret { get; init; }
    public required IResourceBuilder<ParameterResource> VerifyToken { get; init; }

    /// <summary>The local stand-in for Meta, when it runs.</summary>
    public IResourceBuilder<ProjectResource>? Sandbox { get; init; }
}

internal static class WhatsAppChannelExtensions
{
    public static WhatsAppChannel AddWhatsAppChannel(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["WhatsApp:GraphApiUrl"];
        if (!builder.ExecutionContext.IsRunMode)
        {
            return new WhatsAppChannel
            {
                GraphApiUrl = ReferenceExpression.Create($"{builder.AddParameter("whatsapp-graph-api-url", WhatsAppChannel.MetaGraphApiUrl, publishValueAsDefault: true)}"),
                PhoneNumberId = ReferenceExpression.Create($"{builder.AddParameter("whatsapp-phone-number-id")}"),
                AccessToken = builder.AddParameter("whatsapp-access-token", secret: true),
                AppSecret = builder.AddParameter("whatsapp-app-secret", secret: true),
                VerifyToken = builder.AddParameter("whatsapp-verify-token", secret: true),
            };
        }
        if (!string.IsNullOrEmpty(configured))
        {
            return new WhatsAppChannel
            {
                GraphApiUrl = ReferenceExpression.Create($"{configured}"),
                PhoneNumberId = ReferenceExpression.Create($"{builder.Configured("whatsapp-phone-number-id", "PhoneNumberId", secret: false)}"),
                AccessToken = builder.Configured("whatsapp-access-token", "AccessToken", secret: true),
                // A stub that never signs or subscribes needs neither: generated, as for the sandbox.
                AppSecret = builder.Configured("whatsapp-app-secret", "AppSecret", secret: true, generate: true),
                VerifyToken = builder.Configured("whatsapp-verify-token", "VerifyToken", secret: true, generate: true),
            };
        }

        var accessToken = builder.Generated("whatsapp-access-token");
        var appSecret = builder.Generated("whatsapp-app-secret");
        var verifyToken = builder.Generated("whatsapp-verify-token");
        var sandbox = builder.AddProject<Projects.Khaacho_WhatsAppSandbox>(WhatsAppChannel.SandboxResource)
            .WithExternalHttpEndpoints()
            .WithEnvironment("Sandbox__AccessToken", accessToken)
            .WithEnvironment("Sandbox__AppSecret", appSecret)
            .WithEnvironment("Sandbox__VerifyToken", verifyToken)
            .WithEnvironment("Sandbox__PhoneNumberId", WhatsAppChannel.SandboxPhoneNumberId)
            .WithConfigurationSection("Sandbox")
            .WithHttpHealthCheck("/health/live");
        return new WhatsAppChannel
        {
            GraphApiUrl = ReferenceExpression.Create($"{sandbox.GetEndpoint("http")}/{WhatsAppChannel.GraphApiVersion}/"),
            PhoneNumberId = ReferenceExpression.Create($"{WhatsAppChannel.SandboxPhoneNumberId}"),
            AccessToken = accessToken,
            AppSecret = appSecret,
            VerifyToken = verifyToken,
            Sandbox = sandbox,
        };
    }

    /// <summary>What a project needs to send: the Graph API's URL, the business number's id and the access token.</summary>
    public static IResourceBuilder<ProjectResource> WithWhatsApp(this IResourceBuilder<ProjectResource> project, WhatsAppChannel channel)
    {
        project.WithEnvironment("WhatsApp__GraphApiUrl", channel.GraphApiUrl)
            .WithEnvironment("WhatsApp__PhoneNumberId", channel.PhoneNumberId)
            .WithEnvironment("WhatsApp__AccessToken", channel.AccessToken);
        if (channel.Sandbox is { } sandbox) project.WaitFor(sandbox);
        return project;
    }

    /// <summary>The project that receives Meta's webhook: its secrets, and (running locally) the sandbox posts to it.</summary>
    public static IResourceBuilder<ProjectResource> WithWhatsAppWebhook(this IResourceBuilder<ProjectResource> api, WhatsAppChannel channel)
    {
        api.WithEnvironment("WhatsApp__AppSecret", channel.AppSecret).WithEnvironment("WhatsApp__VerifyToken", channel.VerifyToken);
        // The api may start after the sandbox: the sandbox retries its handshake until the webhook answers, it waits for nothing.
        channel.Sandbox?.WithEnvironment("Sandbox__WebhookUrl", ReferenceExpression.Create($"{api.GetEndpoint("http")}{WhatsAppChannel.WebhookPath}"));
        return api;
    }

    /// <summary>A value from <c>WhatsApp:&lt;key&gt;</c>, else the parameter's own <c>Parameters:&lt;name&gt;</c>.</summary>
    private static IResourceBuilder<ParameterResource> Configured(this IDistributedApplicationBuilder builder, string name, string key, bool secret, bool generate = false)
    {
        if (!string.IsNullOrEmpty(builder.Configuration[$"WhatsApp:{key}"])) return builder.AddParameterFromConfiguration(name, $"WhatsApp:{key}", secret);
        if (!string.IsNullOrEmpty(builder.Configuration[$"Parameters:{name}"])) return builder.AddParameter(name, secret: secret);
        if (generate) return builder.Generated(name);
        throw new DistributedApplicationException(
            $"WhatsApp:GraphApiUrl is set, so WhatsApp:{key} (or the parameter {name}) must be too; unset WhatsApp:GraphApiUrl to use the local sandbox.");
    }

    /// <summary>Generated once and kept in the AppHost's user secrets, as the JWT signing key.</summary>
    private static IResourceBuilder<ParameterResource> Generated(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
}
