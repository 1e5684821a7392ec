using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Khaacho.Tests.Hosting;

namespace Khaacho.Tests.WhatsApp;

/// <summary>The whole system with the WhatsApp sandbox standing in for Meta, exactly as <c>./khaacho up</c> runs it (nothing configured).</summary>
public sealed class SandboxAppFixture : KhaachoAppFixture
{
    protected override IEnumerable<string> WhatsAppArguments => [];

    public Uri SandboxUrl => App.GetEndpoint("whatsapp-sandbox", "http");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await App.ResourceNotifications.WaitForResourceHealthyAsync("whatsapp-sandbox", timeout.Token);
    }

    /// <summary>A client of the sandbox's own JSON API (<c>/api/inbound</c>, <c>/api/conversations/…</c>).</summary>
    public HttpClient Sandbox() => new() { BaseAddress = SandboxUrl };
}

[CollectionDefinition(Name)]
public sealed class SandboxAppCollection : ICollectionFixture<SandboxAppFixture>
{
    public const string Name = "Whole app with the WhatsApp sandbox";
}
