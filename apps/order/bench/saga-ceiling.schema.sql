-- Tables for the saga SQL ceiling (saga-ceiling.pgbench.sql): the fewest columns and indexes the
-- order saga's durable writes need, so the ceiling is what Postgres alone does at best.
CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, sku int NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE payments (order_id bigint PRIMARY KEY, amount int NOT NULL);
CREATE TABLE global_tx (gid bigint PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE branches (gid bigint, branch_id int, op text, status text NOT NULL, PRIMARY KEY (gid, branch_id, op));
CREATE TABLE barrier (gid bigint, branch_id int, op text, PRIMARY KEY (gid, branch_id, op));
CREATE TABLE inbox (consumer_group text, event_id uuid, PRIMARY KEY (consumer_group, event_id));
CREATE TABLE outbox (seq bigserial PRIMARY KEY, topic text NOT NULL, payload jsonb NOT NULL);
CREATE TABLE stock (sku int PRIMARY KEY, on_hand int NOT NULL, reserved int NOT NULL);
INSERT INTO stock SELECT g, 1000000000, 0 FROM generate_series(1, 10000) g;
CREATE SEQUENCE gids;
