using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Khaacho.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "awaiting_review_at",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "review_deadline",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reviewed_at",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reviewed_by",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "risk_reasons",
                table: "orders",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.CreateIndex(
                name: "ix_orders_awaiting_review",
                table: "orders",
                columns: new[] { "awaiting_review_at", "id" },
                filter: "status = 'awaiting_review'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_awaiting_review",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "awaiting_review_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "review_deadline",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "reviewed_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "reviewed_by",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "risk_reasons",
                table: "orders");
        }
    }
}
