using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Khaacho.Api.Hosting;

/// <summary>Section <c>ForwardedHeaders</c>: the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.</summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of proxies in front of the api (e.g. the ingress). Default none.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks in CIDR notation (e.g. <c>10.0.0.0/8</c> for a cluster's pods). Default none.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

public static class TrustedProxies
{
    /// <summary>
    /// Trusts forwarded headers only from configured proxies. ASP.NET's own default trusts loopback, and
    /// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (which Aspire writes into every published project) trusts every
    /// peer; here the default is nobody, so a client cannot pick the address the per-address rate limit counts by
    /// sending X-Forwarded-For.
    /// </summary>
    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        // Turns off ASP.NET's startup filter for that variable: UseTrustedProxies below decides instead.
        builder.Configuration["FORWARDEDHEADERS_ENABLED"] = "false";
        var trusted = builder.Configuration.GetSection(TrustedProxyOptions.Section).Get<TrustedProxyOptions>() ?? new TrustedProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.KnownProxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in trusted.KnownNetworks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return builder;
    }

    /// <summary>
    /// Adds the forwarded-headers middleware only when a proxy is configured: with both lists empty, ASP.NET's middleware
    /// believes every peer, which is the opposite of "none".
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0 ? app : app.UseForwardedHeaders();
    }
}
