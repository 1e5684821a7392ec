using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Khaacho.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Khata : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "blocked_reason",
                table: "retailers",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_blocked",
                table: "retailers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "payment_terms_days",
                table: "retailers",
                type: "integer",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<decimal>(
                name: "reserved",
                table: "retailers",
                type: "numeric(14,2)",
                precision: 14,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "actor",
                table: "credit_ledger",
                type: "character varying(80)",
                maxLength: 80,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "description",
                table: "credit_ledger",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<decimal>(
                name: "outstanding_after",
                table: "credit_ledger",
                type: "numeric(14,2)",
                precision: 14,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "outstanding_change",
                table: "credit_ledger",
                type: "numeric(14,2)",
                precision: 14,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<Guid>(
                name: "payment_id",
                table: "credit_ledger",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reference",
                table: "credit_ledger",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "reserved_change",
                table: "credit_ledger",
                type: "numeric(14,2)",
                precision: 14,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateTable(
                name: "credit_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    retailer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    before = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    after = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    actor = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_credit_changes_retailers_retailer_id",
                        column: x => x.retailer_id,
                        principalTable: "retailers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "credit_reminders",
                columns: table => new
                {
                    retailer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    overdue = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_reminders", x => new { x.retailer_id, x.day });
                    table.ForeignKey(
                        name: "fk_credit_reminders_retailers_retailer_id",
                        column: x => x.retailer_id,
                        principalTable: "retailers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    retailer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    received_on = table.Column<DateOnly>(type: "date", nullable: false),
                    note = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    recorded_by = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payments", x => x.id);
                    table.CheckConstraint("ck_payments_amount", "amount > 0");
                    table.ForeignKey(
                        name: "fk_payments_retailers_retailer_id",
                        column: x => x.retailer_id,
                        principalTable: "retailers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            // Before this migration the ledger held reserves and releases in available-credit terms only. Give them their
            // reserved change, give seeded balances an opening entry, charge delivered orders that still held credit and
            // release ended ones that did (a cancel after dispatch used to keep it), then derive the balances from the ledger.
            migrationBuilder.Sql("""
                UPDATE credit_ledger l SET reserved_change = -l.amount, actor = 'worker-orders',
                    description = 'Order ' || coalesce(o.order_number, '?') || CASE l.kind WHEN 'reserve' THEN ' confirmed' ELSE ' released' END,
                    reference = o.order_number, outstanding_after = r.outstanding
                FROM retailers r, orders o WHERE r.id = l.retailer_id AND o.id = l.order_id;

                INSERT INTO credit_ledger (id, retailer_id, kind, amount, reserved_change, outstanding_change, available_after, outstanding_after, actor, description, created_at)
                SELECT gen_random_uuid(), r.id, 'opening', -r.outstanding, 0, r.outstanding, 0, r.outstanding, 'migration', 'Opening balance', r.created_at
                FROM retailers r WHERE r.outstanding <> 0;

                INSERT INTO credit_ledger (id, retailer_id, order_id, kind, amount, reserved_change, outstanding_change, available_after, outstanding_after, actor, description, reference, created_at)
                SELECT gen_random_uuid(), o.retailer_id, o.id,
                       CASE WHEN o.status IN ('delivered', 'completed') THEN 'charge' ELSE 'release' END,
                       CASE WHEN o.status IN ('delivered', 'completed') THEN 0 ELSE h.held END,
                       -h.held, CASE WHEN o.status IN ('delivered', 'completed') THEN h.held ELSE 0 END, 0, 0, 'migration',
                       'Order ' || o.order_number || CASE WHEN o.status IN ('delivered', 'completed') THEN ' delivered' ELSE ' ' || o.status END,
                       o.order_number, coalesce(o.delivered_at, o.cancelled_at, o.failed_at, o.updated_at)
                FROM orders o JOIN (SELECT order_id, sum(reserved_change) AS held FROM credit_ledger WHERE order_id IS NOT NULL GROUP BY order_id) h
                  ON h.order_id = o.id
                WHERE h.held > 0 AND o.status IN ('delivered', 'completed', 'cancelled', 'failed');

                UPDATE retailers r SET
                    reserved = coalesce((SELECT sum(reserved_change) FROM credit_ledger l WHERE l.retailer_id = r.id), 0),
                    outstanding = coalesce((SELECT sum(outstanding_change) FROM credit_ledger l WHERE l.retailer_id = r.id), 0);
                UPDATE retailers SET available_credit = credit_limit - outstanding - reserved;

                UPDATE credit_ledger l SET available_after = r.available_credit, outstanding_after = r.outstanding
                FROM retailers r WHERE r.id = l.retailer_id AND l.actor = 'migration';
                """);

            migrationBuilder.AddCheckConstraint(
                name: "ck_retailers_available",
                table: "retailers",
                sql: "available_credit = credit_limit - outstanding - reserved");

            migrationBuilder.CreateIndex(
                name: "ix_credit_ledger_one_reversal",
                table: "credit_ledger",
                column: "payment_id",
                unique: true,
                filter: "kind = 'payment_reversal'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_credit_ledger_amount",
                table: "credit_ledger",
                sql: "amount = -(reserved_change + outstanding_change)");

            migrationBuilder.CreateIndex(
                name: "ix_credit_changes_retailer_id_at",
                table: "credit_changes",
                columns: new[] { "retailer_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_retailer_id_reference",
                table: "payments",
                columns: new[] { "retailer_id", "reference" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_credit_ledger_payments_payment_id",
                table: "credit_ledger",
                column: "payment_id",
                principalTable: "payments",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // The ledger and payments are append-only for everyone: a correction is a new entry, never an edit.
            migrationBuilder.Sql("""
                CREATE FUNCTION khaacho_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION '% is append-only: record a compensating entry instead', TG_TABLE_NAME USING ERRCODE = 'check_violation';
                END $$;
                CREATE TRIGGER credit_ledger_append_only BEFORE UPDATE OR DELETE ON credit_ledger FOR EACH ROW EXECUTE FUNCTION khaacho_append_only();
                CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION khaacho_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER payments_append_only ON payments;
                DROP TRIGGER credit_ledger_append_only ON credit_ledger;
                DROP FUNCTION khaacho_append_only();
                """);
            migrationBuilder.DropForeignKey(
                name: "fk_credit_ledger_payments_payment_id",
                table: "credit_ledger");

            migrationBuilder.DropTable(
                name: "credit_changes");

            migrationBuilder.DropTable(
                name: "credit_reminders");

            migrationBuilder.DropTable(
                name: "payments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_retailers_available",
                table: "retailers");

            migrationBuilder.DropIndex(
                name: "ix_credit_ledger_one_reversal",
                table: "credit_ledger");

            migrationBuilder.DropCheckConstraint(
                name: "ck_credit_ledger_amount",
                table: "credit_ledger");

            migrationBuilder.DropColumn(
                name: "blocked_reason",
                table: "retailers");

            migrationBuilder.DropColumn(
                name: "is_blocked",
                table: "retailers");

            migrationBuilder.DropColumn(
                name: "payment_terms_days",
                table: "retailers");

            migrationBuilder.DropColumn(
                name: "reserved",
                table: "retailers");

            migrationBuilder.DropColumn(
                name: "actor",
                table: "credit_ledger");

            migrationBuilder.DropColumn(
                name: "description",
                table: "credit_ledger");

            migrationBuilder.DropColumn(
                name: "outstanding_after",
                table: "credit_ledger");

            migrationBuilder.DropColumn(
                name: "outstanding_change",
                table: "credit_ledger");

            migrationBuilder.DropColumn(
                name: "payment_id",
                table: "credit_ledger");

            migrationBuilder.DropColumn(
                name: "reference",
                table: "credit_ledger");

            migrationBuilder.DropColumn(
                name: "reserved_change",
                table: "credit_ledger");
        }
    }
}
