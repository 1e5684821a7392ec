using System.Globalization;

namespace Khaacho.Tests.Contract;

/// <summary>
/// In every client the whole-app tests use against the api: each answer is checked against the served document
/// (<see cref="DocumentRules"/>), and one that differs fails the request, so the test that got it fails. A strict
/// client generated from the document would have rejected that answer; so does this one.
/// </summary>
public sealed class DocumentedResponses(ApiDocument document, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>
    /// Set on a request that deliberately leaves the document (another method on a path, an empty path segment): when it
    /// reaches no operation it passes unchecked; when it does reach one, that operation's document applies.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> MayLeaveTheDocument = new("Khaacho.Contract.MayLeaveTheDocument");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (ApiDocument.OutsideTheDocument.Contains(path)) return response;
        var operation = document.Find(request.Method.Method, path);
        if (operation is null && request.Options.TryGetValue(MayLeaveTheDocument, out var mayLeave) && mayLeave) return response;

        // Buffered: the test reads the same body afterwards.
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var violation = operation is null
            ? $"{request.Method} {path} is no operation of the document (answered {(int)response.StatusCode})"
            : DocumentRules.Violation(operation, response, body);
        if (violation is null) return response;
        var failure = new UndocumentedResponseException(operation?.Name ?? $"{request.Method} {path}", (int)response.StatusCode, violation,
            $"{request.Method} {request.RequestUri.PathAndQuery}", response.Content.Headers.ContentType?.ToString(), body);
        response.Dispose();
        throw failure;
    }
}

/// <summary>An answer the document does not promise. Not an <see cref="HttpRequestException"/>: no retry around a request may swallow it.</summary>
public sealed class UndocumentedResponseException(string operation, int status, string violation, string request, string? contentType, string body)
    : Exception(string.Create(CultureInfo.InvariantCulture,
        $"The api's answer is not in its OpenAPI document.\n  operation: {operation}\n  request:   {request}\n  answered:  {status} {contentType ?? "(no content type)"}\n  wrong:     {violation}\n  body:      {Excerpt(body)}"))
{
    public string Operation { get; } = operation;
    public int Status { get; } = status;
    public string Violation { get; } = violation;

    private static string Excerpt(string body) => body.Length == 0 ? "(empty)" : body.Length > 400 ? body[..400] + "…" : body;
}
