using Khaacho.Worker.Database;
using Khaacho.Worker.Hosting;

// `migrate`: apply migrations, seed the demo catalogue, exit (the AppHost's "migrations" resource).
if (args.Contains(DatabaseMigrator.Command))
{
    return await DatabaseMigrator.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWorkerServices();

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
