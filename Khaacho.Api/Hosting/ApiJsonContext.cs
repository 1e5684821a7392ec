using System.Text.Json;
using System.Text.Json.Serialization;
using Khaacho.Api.Admin;
using Khaacho.Api.Auth;
using Khaacho.Api.Catalog;
using Khaacho.Api.Invoicing;
using Khaacho.Api.Notifications;
using Khaacho.Api.Orders;
using Microsoft.AspNetCore.Mvc;

namespace Khaacho.Api;

/// <summary>Source-generated JSON for every API contract: no reflection per request.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuthApi.TokenRequest))]
[JsonSerializable(typeof(AuthApi.TokenResponse))]
[JsonSerializable(typeof(SubmitOrderRequest))]
[JsonSerializable(typeof(OrderAccepted))]
[JsonSerializable(typeof(ParsePreviewRequest))]
[JsonSerializable(typeof(ParsePreview))]
[JsonSerializable(typeof(OrderQuote))]
[JsonSerializable(typeof(OrderStatusResponse))]
[JsonSerializable(typeof(ChangeOrderStatusRequest))]
[JsonSerializable(typeof(OrderDetail))]
[JsonSerializable(typeof(OrderPage))]
[JsonSerializable(typeof(InvoiceView))]
[JsonSerializable(typeof(Review.ReviewDecisionRequest))]
[JsonSerializable(typeof(Review.ReviewQueuePage))]
[JsonSerializable(typeof(CatalogProduct[]))]
[JsonSerializable(typeof(IReadOnlyList<CatalogVendor>))]
[JsonSerializable(typeof(List<NotificationView>))]
[JsonSerializable(typeof(IReadOnlyList<DeadLetter>))]
[JsonSerializable(typeof(DeadLettersApi.ReplayResult))]
[JsonSerializable(typeof(IReadOnlyList<AiProvidersApi.ProviderReport>))]
[JsonSerializable(typeof(WhatsApp.WebhookReceipt))]
[JsonSerializable(typeof(Credit.CreditView))]
[JsonSerializable(typeof(Credit.CreditTermsRequest))]
[JsonSerializable(typeof(Credit.ReasonRequest))]
[JsonSerializable(typeof(Credit.RecordPaymentRequest))]
[JsonSerializable(typeof(Credit.CreditEntryRequest))]
[JsonSerializable(typeof(Credit.PaymentView))]
[JsonSerializable(typeof(List<Credit.PaymentView>))]
[JsonSerializable(typeof(List<Credit.CreditChangeView>))]
[JsonSerializable(typeof(Credit.StatementView))]
[JsonSerializable(typeof(Credit.RetailerAgeingView))]
[JsonSerializable(typeof(Credit.AgeingReport))]
[JsonSerializable(typeof(Credit.ReconciliationReport))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
