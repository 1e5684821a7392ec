using Khaacho.Core.Orders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Khaacho.Core.Data;

/// <summary>Stores enums as their snake_case wire names, so SQL reads like the API.</summary>
public sealed class WireNameConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => value.ToWire(),
    name => WireNames.Parse<TEnum>(name))
    where TEnum : struct, Enum;
