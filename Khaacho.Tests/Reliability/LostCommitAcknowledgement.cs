using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Khaacho.Tests.Reliability;

/// <summary>
/// The commit reaches PostgreSQL and succeeds, but its answer is lost on the way back (a network cut at the worst
/// moment): the client sees a transient error after the data is durable.
/// </summary>
internal sealed class LostCommitAcknowledgement : DbTransactionInterceptor
{
    private int armed;

    public void LoseNext() => Interlocked.Exchange(ref armed, 1);

    public bool Fired { get; private set; }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref armed, 0) == 0) return Task.CompletedTask;
        Fired = true;
        throw new NpgsqlException("injected: the connection dropped before the commit was acknowledged", new IOException("connection reset"));
    }
}
