-- One order saga's own transactions, reduced to the rows the design requires (see the order bench):
-- order + saga + Try command (outbox) → inventory Try (inbox, barrier, stock, reply) → order applies
-- the reply → payment + Confirm command → inventory Confirm → order applies it + order-paid.
-- Left out, so this is a ceiling: the relay marking outbox rows sent, the ledger, reservations and
-- their lines, stock-changed, idempotency records, routing, and any index beyond the keys.
\set sku random(1, 10000)
SELECT nextval('gids') AS gid \gset
BEGIN;
INSERT INTO orders (id, status, sku) VALUES (:gid, 'created', :sku);
INSERT INTO global_tx (gid, status) VALUES (:gid, 'trying');
INSERT INTO branches VALUES (:gid, 1, 'try', 'prepared'), (:gid, 1, 'confirm', 'prepared');
INSERT INTO outbox (topic, payload) VALUES ('inventory-branch-requested', '{"op":"try","lines":[{"sku":"A","quantity":1}]}');
COMMIT;
BEGIN;
INSERT INTO inbox VALUES ('inventory', gen_random_uuid());
INSERT INTO barrier VALUES (:gid, 1, 'try') ON CONFLICT DO NOTHING;
UPDATE stock SET reserved = reserved + 1 WHERE sku = :sku AND on_hand - reserved >= 1;
INSERT INTO outbox (topic, payload) VALUES ('tcc-branch-replied', '{"op":"try","outcome":"success"}');
COMMIT;
BEGIN;
INSERT INTO inbox VALUES ('order', gen_random_uuid());
UPDATE branches SET status = 'succeeded' WHERE gid = :gid AND branch_id = 1 AND op = 'try';
UPDATE global_tx SET status = 'prepared', updated_at = now() WHERE gid = :gid AND status = 'trying';
UPDATE orders SET status = 'reserved', updated_at = now() WHERE id = :gid;
COMMIT;
BEGIN;
INSERT INTO payments VALUES (:gid, 100);
UPDATE global_tx SET status = 'confirming', updated_at = now() WHERE gid = :gid AND status = 'prepared';
UPDATE orders SET status = 'paid', updated_at = now() WHERE id = :gid;
INSERT INTO outbox (topic, payload) VALUES ('inventory-branch-requested', '{"op":"confirm"}');
COMMIT;
BEGIN;
INSERT INTO inbox VALUES ('inventory', gen_random_uuid());
INSERT INTO barrier VALUES (:gid, 1, 'confirm') ON CONFLICT DO NOTHING;
UPDATE stock SET on_hand = on_hand - 1, reserved = reserved - 1 WHERE sku = :sku;
INSERT INTO outbox (topic, payload) VALUES ('tcc-branch-replied', '{"op":"confirm","outcome":"success"}');
COMMIT;
BEGIN;
INSERT INTO inbox VALUES ('order', gen_random_uuid());
UPDATE branches SET status = 'succeeded' WHERE gid = :gid AND branch_id = 1 AND op = 'confirm';
UPDATE global_tx SET status = 'confirmed', updated_at = now() WHERE gid = :gid AND status = 'confirming';
INSERT INTO outbox (topic, payload) VALUES ('order-paid', '{"orderId":1}');
COMMIT;
