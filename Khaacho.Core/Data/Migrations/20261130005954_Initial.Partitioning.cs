namespace Khaacho.Core.Data.Migrations;

// EF cannot declare PARTITION BY, so the three order tables are created here. Every primary key
// includes created_at (PostgreSQL requires the partition key in unique constraints), and items and
// history carry their order's created_at so they land in the same month as the order.
public partial class Initial
{
    private const string CreateOrderNumbering = """
        CREATE SEQUENCE order_number_seq AS bigint;

        -- ORD-<yymm>-<at least six digits>, unique by construction from one sequence.
        CREATE FUNCTION khaacho_next_order_number() RETURNS varchar(32)
        LANGUAGE plpgsql VOLATILE AS $$
        DECLARE n bigint := nextval('order_number_seq');
        BEGIN
            RETURN 'ORD-' || to_char(now() AT TIME ZONE 'UTC', 'YYMM') || '-' || lpad(n::text, greatest(6, length(n::text)), '0');
        END $$;
        """;

    private const string CreatePartitionedOrderTables = """
        CREATE TABLE orders (
            id uuid NOT NULL,
            created_at timestamp with time zone NOT NULL,
            order_number character varying(32) NOT NULL DEFAULT khaacho_next_order_number(),
            retailer_id uuid NOT NULL REFERENCES retailers (id) ON DELETE RESTRICT,
            vendor_id uuid NULL REFERENCES vendors (id),
            status character varying(32) NOT NULL,
            source character varying(16) NOT NULL,
            raw_text character varying(4096) NULL,
            subtotal numeric(14,2) NOT NULL,
            vat numeric(14,2) NOT NULL,
            total numeric(14,2) NOT NULL,
            currency character varying(3) NOT NULL,
            notes character varying(1000) NULL,
            priority character varying(16) NOT NULL,
            updated_at timestamp with time zone NOT NULL,
            parsing_at timestamp with time zone NULL,
            parsed_at timestamp with time zone NULL,
            validated_at timestamp with time zone NULL,
            confirmed_at timestamp with time zone NULL,
            accepted_at timestamp with time zone NULL,
            rejected_at timestamp with time zone NULL,
            dispatched_at timestamp with time zone NULL,
            delivered_at timestamp with time zone NULL,
            completed_at timestamp with time zone NULL,
            cancelled_at timestamp with time zone NULL,
            failed_at timestamp with time zone NULL,
            failure_code character varying(64) NULL,
            failure_reason text NULL,
            attempts integer NOT NULL,
            version integer NOT NULL,
            CONSTRAINT pk_orders PRIMARY KEY (id, created_at)
        ) PARTITION BY RANGE (created_at);

        CREATE TABLE order_items (
            id uuid NOT NULL,
            created_at timestamp with time zone NOT NULL,
            order_id uuid NOT NULL,
            product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
            quantity integer NOT NULL,
            unit_price numeric(14,2) NOT NULL,
            line_total numeric(14,2) NOT NULL,
            source_text character varying(500) NULL,
            CONSTRAINT pk_order_items PRIMARY KEY (id, created_at),
            CONSTRAINT ck_order_items_quantity CHECK (quantity > 0),
            CONSTRAINT fk_order_items_orders_order_id_created_at FOREIGN KEY (order_id, created_at)
                REFERENCES orders (id, created_at) ON DELETE CASCADE
        ) PARTITION BY RANGE (created_at);

        CREATE TABLE order_status_history (
            id uuid NOT NULL,
            created_at timestamp with time zone NOT NULL,
            order_id uuid NOT NULL,
            from_status character varying(32) NULL,
            to_status character varying(32) NOT NULL,
            actor character varying(64) NOT NULL,
            reason character varying(1000) NULL,
            at timestamp with time zone NOT NULL,
            CONSTRAINT pk_order_status_history PRIMARY KEY (id, created_at),
            CONSTRAINT fk_order_status_history_orders_order_id_created_at FOREIGN KEY (order_id, created_at)
                REFERENCES orders (id, created_at) ON DELETE CASCADE
        ) PARTITION BY RANGE (created_at);

        CREATE TABLE orders_default PARTITION OF orders DEFAULT;
        CREATE TABLE order_items_default PARTITION OF order_items DEFAULT;
        CREATE TABLE order_status_history_default PARTITION OF order_status_history DEFAULT;
        """;

    // Idempotent: the partition maintenance job calls khaacho_ensure_order_partitions on a schedule.
    private const string CreatePartitionFunctions = """
        CREATE FUNCTION khaacho_ensure_monthly_partition(parent text, month_start date) RETURNS boolean
        LANGUAGE plpgsql AS $$
        DECLARE
            partition_name text := format('%s_y%sm%s', parent, to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        BEGIN
            IF to_regclass(partition_name) IS NOT NULL THEN
                RETURN false;
            END IF;
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                partition_name, parent,
                (month_start::timestamp AT TIME ZONE 'UTC'),
                ((month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
            RETURN true;
        END $$;

        -- Creates the monthly partitions from the given month through months_ahead months later;
        -- returns how many were created.
        CREATE FUNCTION khaacho_ensure_order_partitions(months_ahead integer, from_month date DEFAULT (now() AT TIME ZONE 'UTC')::date)
        RETURNS integer
        LANGUAGE plpgsql AS $$
        DECLARE
            created integer := 0;
            first_month date := date_trunc('month', from_month)::date;
            parent text;
        BEGIN
            FOREACH parent IN ARRAY ARRAY['orders', 'order_items', 'order_status_history'] LOOP
                FOR i IN 0..months_ahead LOOP
                    IF khaacho_ensure_monthly_partition(parent, (first_month + make_interval(months => i))::date) THEN
                        created := created + 1;
                    END IF;
                END LOOP;
            END LOOP;
            RETURN created;
        END $$;
        """;

    private const string DropOrderFunctions = """
        DROP FUNCTION IF EXISTS khaacho_ensure_order_partitions(integer, date);
        DROP FUNCTION IF EXISTS khaacho_ensure_monthly_partition(text, date);
        DROP FUNCTION IF EXISTS khaacho_next_order_number();
        DROP SEQUENCE IF EXISTS order_number_seq;
        """;
}
