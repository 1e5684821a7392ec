using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Khaacho.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class WhatsApp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "order_id",
                table: "notifications",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<string>(
                name: "content",
                table: "notifications",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "provider_status",
                table: "notifications",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "provider_status_at",
                table: "notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "recipient_phone",
                table: "notifications",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "template_required",
                table: "notifications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "conversations",
                columns: table => new
                {
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    last_inbound_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    draft = table.Column<string>(type: "jsonb", nullable: true),
                    draft_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversations", x => x.phone);
                });

            migrationBuilder.CreateTable(
                name: "whatsapp_inbox",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    payload = table.Column<string>(type: "character varying(16384)", maxLength: 16384, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_whatsapp_inbox", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_provider_message_id",
                table: "notifications",
                column: "provider_message_id",
                filter: "provider_message_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_draft_expiry",
                table: "conversations",
                column: "draft_expires_at",
                filter: "draft IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_whatsapp_inbox_unprocessed",
                table: "whatsapp_inbox",
                column: "queued_at",
                filter: "processed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "conversations");

            migrationBuilder.DropTable(
                name: "whatsapp_inbox");

            migrationBuilder.DropIndex(
                name: "ix_notifications_provider_message_id",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "content",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "provider_status",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "provider_status_at",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "recipient_phone",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "template_required",
                table: "notifications");

            migrationBuilder.AlterColumn<Guid>(
                name: "order_id",
                table: "notifications",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
