using Khaacho.Tests.Hosting;
using Microsoft.Playwright;

namespace Khaacho.Tests.WhatsApp;

/// <summary>
/// Headless Debian Chromium driven by Playwright (its own browser download cannot run here), one per test class.
/// <c>./khaacho test</c> installs the <c>chromium</c> package when it is missing.
/// </summary>
public sealed class SandboxBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install chromium (./khaacho test installs it)");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
    }

    /// <summary>A fresh page on the sandbox, phone-list and chat side by side.</summary>
    public async Task<SandboxPage> OpenAsync(string sandboxUrl)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(sandboxUrl);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Phones" }).GetByRole(AriaRole.Button).First.WaitForAsync();
        return new SandboxPage(page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>What a person does on the sandbox page, by role and accessible name: pick a phone, type, tap a button.</summary>
public sealed class SandboxPage(IPage page)
{
    public IPage Page => page;

    public ILocator Messages => page.GetByRole(AriaRole.List, new() { Name = "Messages" });

    public async Task PickPhoneAsync(string name)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Phones" }).GetByRole(AriaRole.Button, new() { Name = name }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true }).WaitForAsync();
    }

    public async Task SendTextAsync(string text)
    {
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
    }

    /// <summary>The bubble (a list item) whose text contains <paramref name="text"/>, once it shows.</summary>
    public async Task<ILocator> BubbleAsync(string text)
    {
        var bubble = Messages.GetByRole(AriaRole.Listitem).Filter(new() { HasText = text }).Last;
        await bubble.WaitForAsync();
        return bubble;
    }

    /// <summary>Taps the reply button or list option titled <paramref name="title"/> on the latest message offering it.</summary>
    public Task TapAsync(string title) =>
        Messages.GetByRole(AriaRole.Button, new() { Name = title }).Last.ClickAsync();

    /// <summary>Waits until the bubble shows the tick for <paramref name="status"/> (sent, delivered, read).</summary>
    public Task WaitForTicksAsync(ILocator bubble, string status) =>
        bubble.GetByRole(AriaRole.Img, new() { Name = status, Exact = true }).WaitForAsync();

    /// <summary>
    /// A screenshot of the whole page to <see cref="Screenshots.PathFor"/>: <c>docs/images/</c> when
    /// <c>KHAACHO_UPDATE_SCREENSHOTS=1</c> (to commit), else the test's temporary folder.
    /// </summary>
    public async Task<string> ScreenshotAsync(string fileName)
    {
        var path = Screenshots.PathFor(fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        return path;
    }
}

public static class Screenshots
{
    public static string PathFor(string fileName)
    {
        var folder = Environment.GetEnvironmentVariable("KHAACHO_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot.Path, "docs", "images")
            : Path.Combine(Path.GetTempPath(), "khaacho-screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }
}
