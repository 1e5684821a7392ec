using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Khaacho.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Pipeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "acceptance_deadline",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid[]>(
                name: "excluded_vendor_ids",
                table: "orders",
                type: "uuid[]",
                nullable: false,
                defaultValue: new Guid[0]);

            migrationBuilder.AddColumn<int>(
                name: "reroutes",
                table: "orders",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "risk_score",
                table: "orders",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    recipient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_acceptance_deadline",
                table: "orders",
                column: "acceptance_deadline",
                filter: "status = 'confirmed'");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_order_id_kind_recipient_id",
                table: "notifications",
                columns: new[] { "order_id", "kind", "recipient_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notifications_recipient_kind_recipient_id_created_at",
                table: "notifications",
                columns: new[] { "recipient_kind", "recipient_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_orders_acceptance_deadline",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "acceptance_deadline",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "excluded_vendor_ids",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "reroutes",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "risk_score",
                table: "orders");
        }
    }
}
