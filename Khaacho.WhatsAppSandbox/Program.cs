using Khaacho.WhatsAppSandbox.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSandbox();

var app = builder.Build();
app.MapSandbox();
app.MapDefaultEndpoints();
await app.RunAsync();
