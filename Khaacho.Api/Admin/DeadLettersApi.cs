using Khaacho.Api.Auth;
using Khaacho.Core.Identity;
using Khaacho.Api.Hosting;
using Khaacho.Core.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Khaacho.Api.Admin;

public static partial class DeadLettersApi
{
    public sealed record ReplayResult(int Replayed);

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin/dead-letters").WithTags("Admin")
            .RequireAuthorization(Policies.Admin).RequireRateLimiting(RateLimits.PerUser)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/", ListAsync).WithName("ListDeadLetters").WithSummary("Messages that ran out of attempts, newest first");
        api.MapPost("/{id}/replay", ReplayOneAsync).WithName("ReplayDeadLetter").WithSummary("Put one dead letter back on its stream");
        api.MapPost("/replay", ReplayAllAsync).WithName("ReplayDeadLetters").WithSummary("Put every dead letter of a stream back on it");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ValidationProblem>> ListAsync(DeadLetterReplay replay, string? stream, int? limit)
    {
        if (!IsStream(stream, out var problem)) return problem;
        return TypedResults.Ok(await replay.ListAsync(stream!, Math.Clamp(limit ?? 100, 1, 1000)));
    }

    private static async Task<Results<Accepted<ReplayResult>, NotFound<ProblemDetails>, ValidationProblem>> ReplayOneAsync(
        string id, string? stream, DeadLetterReplay replay, HttpContext http, CancellationToken cancellationToken)
    {
        if (!IsStream(stream, out var problem)) return problem;
        // Not an entry id Redis could have given (it would answer with an error): no such dead letter.
        return IsEntryId(id) && await replay.ReplayAsync(stream!, id, ActorOf(http), cancellationToken)
            ? TypedResults.Accepted((string?)null, new ReplayResult(1))
            : TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Dead letter not found", Detail = $"No dead letter '{id}' on {stream}." });
    }

    private static async Task<Results<Accepted<ReplayResult>, ValidationProblem>> ReplayAllAsync(
        string? stream, DeadLetterReplay replay, HttpContext http, CancellationToken cancellationToken)
    {
        if (!IsStream(stream, out var problem)) return problem;
        var replayed = 0;
        foreach (var letter in await replay.ListAsync(stream!, 1000))
        {
            if (await replay.ReplayAsync(stream!, letter.Id, ActorOf(http), cancellationToken)) replayed++;
        }
        return TypedResults.Accepted((string?)null, new ReplayResult(replayed));
    }

    private static string ActorOf(HttpContext http) => $"admin:{CurrentUser.From(http.User).UserId}";

    /// <summary>A stream name, not a key pattern: the platform's streams, or another stream an operator created (e.g. a test's).</summary>
    private static bool IsStream(string? stream, out ValidationProblem problem)
    {
        problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["stream"] = [$"A stream name such as {string.Join(", ", Streams.All)}."] });
        return stream is not null && StreamName().IsMatch(stream);
    }

    /// <summary>A stream entry id: milliseconds and a sequence number, each an unsigned 64-bit number ("1764460800000-0").</summary>
    private static bool IsEntryId(string id) =>
        id.Split('-') is [var millis, var sequence] && millis.All(char.IsAsciiDigit) && sequence.All(char.IsAsciiDigit)
        && ulong.TryParse(millis, System.Globalization.CultureInfo.InvariantCulture, out _) && ulong.TryParse(sequence, System.Globalization.CultureInfo.InvariantCulture, out _);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex StreamName();
}
