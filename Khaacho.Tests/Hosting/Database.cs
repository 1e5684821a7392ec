using Npgsql;

namespace Khaacho.Tests.Hosting;

/// <summary>Direct SQL against the started app's PostgreSQL, for arranging data and checking invariants.</summary>
public static class Database
{
    public static async Task<T> ScalarAsync<T>(this KhaachoAppFixture fixture, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<int> ExecuteAsync(this KhaachoAppFixture fixture, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<T>> ColumnAsync<T>(this KhaachoAppFixture fixture, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await fixture.DatabaseConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetFieldValue<T>(0));
        return values;
    }
}
