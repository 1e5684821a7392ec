using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Khaacho.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Reliability : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Published rows are now deleted at once: the ones kept for a day before go now.
            migrationBuilder.Sql("DELETE FROM outbox WHERE published_at IS NOT NULL;");

            migrationBuilder.DropIndex(
                name: "ix_outbox_unpublished",
                table: "outbox");

            migrationBuilder.DropIndex(
                name: "ix_notifications_order_id_kind_recipient_id",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "publish_attempts",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "outbox");

            migrationBuilder.RenameColumn(
                name: "attempts",
                table: "orders",
                newName: "redrives");

            migrationBuilder.AddColumn<string>(
                name: "provider_message_id",
                table: "notifications",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "queued_at",
                table: "notifications",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.Sql("UPDATE notifications SET queued_at = created_at;");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_created_at",
                table: "outbox",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_order_id",
                table: "outbox",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_in_pipeline",
                table: "orders",
                column: "updated_at",
                filter: "status IN ('received', 'parsing', 'parsed', 'validated', 'rejected_by_vendor')");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_order_id",
                table: "notifications",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_pending",
                table: "notifications",
                column: "queued_at",
                filter: "status IN ('pending', 'sending')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_created_at",
                table: "outbox");

            migrationBuilder.DropIndex(
                name: "ix_outbox_order_id",
                table: "outbox");

            migrationBuilder.DropIndex(
                name: "ix_orders_in_pipeline",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_notifications_order_id",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_notifications_pending",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "provider_message_id",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "queued_at",
                table: "notifications");

            migrationBuilder.RenameColumn(
                name: "redrives",
                table: "orders",
                newName: "attempts");

            migrationBuilder.AddColumn<int>(
                name: "publish_attempts",
                table: "outbox",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "outbox",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_unpublished",
                table: "outbox",
                column: "created_at",
                filter: "published_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_order_id_kind_recipient_id",
                table: "notifications",
                columns: new[] { "order_id", "kind", "recipient_id" },
                unique: true);
        }
    }
}
