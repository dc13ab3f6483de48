-- One 3-line purchase, the SQL the customer service runs for POST /api/v1/purchases, by hand.
-- pgbench -n -M prepared -f purchase.sql -D first=<lowest product id> -D third=<products / 3>
-- Products come one from each third of the range, so the three ids are distinct and ascending.
\set p1 :first + random(0, :third - 1)
\set p2 :first + :third + random(0, :third - 1)
\set p3 :first + 2 * :third + random(0, :third - 1)
\set q1 random(1, 3)
\set q2 random(1, 3)
\set q3 random(1, 3)
BEGIN;
-- the store (and customer) must be active
SELECT status FROM customer.store WHERE id = 0;
-- lock the products in id order, read price, status and stock (the stock check)
SELECT id, sku, name, unit_price, status, track_stock, stock_quantity
  FROM customer.product WHERE id IN ((:p1)::bigint, (:p2)::bigint, (:p3)::bigint) ORDER BY id FOR UPDATE;
-- the bill
INSERT INTO customer.purchase (store_id, channel, source, currency, rate, purchased_at,
                               base_gross, base_discount, base_total, local_gross, local_discount, local_total)
SELECT 0, 'assisted', 'live', 'USD', 1, now(), t, 0, t, t, 0, t
  FROM (SELECT sum(p.unit_price * l.q) AS t
          FROM customer.product p JOIN (VALUES ((:p1)::bigint, (:q1)::int), ((:p2)::bigint, (:q2)::int), ((:p3)::bigint, (:q3)::int)) AS l (id, q) ON p.id = l.id) AS s
RETURNING id AS purchase_id, base_total AS total \gset
-- its three lines
INSERT INTO customer.purchase_line (purchase_id, line_no, product_id, quantity, base_unit_price, local_unit_price,
                                    base_gross, base_discount, base_total, local_gross, local_discount, local_total)
SELECT (:purchase_id)::bigint, l.no, p.id, l.q, p.unit_price, p.unit_price,
       p.unit_price * l.q, 0, p.unit_price * l.q, p.unit_price * l.q, 0, p.unit_price * l.q
  FROM (VALUES (1, (:p1)::bigint, (:q1)::int), (2, (:p2)::bigint, (:q2)::int), (3, (:p3)::bigint, (:q3)::int)) AS l (no, id, q) JOIN customer.product p ON p.id = l.id
RETURNING id;
-- three stock movements
INSERT INTO customer.stock_movement (product_id, kind, quantity, purchase_id)
VALUES ((:p1)::bigint, 'sale', -(:q1)::int, (:purchase_id)::bigint), ((:p2)::bigint, 'sale', -(:q2)::int, (:purchase_id)::bigint), ((:p3)::bigint, 'sale', -(:q3)::int, (:purchase_id)::bigint);
-- the stock decrement (the CHECK constraint keeps it from going below zero)
WITH moved AS (
  UPDATE customer.product p SET stock_quantity = p.stock_quantity - d.q, updated_at = now()
    FROM (VALUES ((:p1)::bigint, (:q1)::int), ((:p2)::bigint, (:q2)::int), ((:p3)::bigint, (:q3)::int)) AS d (id, q) WHERE p.id = d.id
  RETURNING p.id, p.stock_quantity)
SELECT max(stock_quantity) FILTER (WHERE id = (:p1)::bigint) AS s1, max(stock_quantity) FILTER (WHERE id = (:p2)::bigint) AS s2,
       max(stock_quantity) FILTER (WHERE id = (:p3)::bigint) AS s3 FROM moved \gset
-- the next event seq of the purchase and of each product (row locks held until commit)
WITH seqs AS (
  INSERT INTO customer.event_sequence (aggregate_id, last_seq)
  VALUES ('purchase:' || (:purchase_id)::bigint, 1), ('product:' || (:p1)::bigint, 1), ('product:' || (:p2)::bigint, 1), ('product:' || (:p3)::bigint, 1)
  ON CONFLICT (aggregate_id) DO UPDATE SET last_seq = customer.event_sequence.last_seq + 1
  RETURNING aggregate_id, last_seq)
SELECT max(last_seq) FILTER (WHERE aggregate_id = 'purchase:' || (:purchase_id)::bigint) AS seq0,
       max(last_seq) FILTER (WHERE aggregate_id = 'product:' || (:p1)::bigint) AS seq1,
       max(last_seq) FILTER (WHERE aggregate_id = 'product:' || (:p2)::bigint) AS seq2,
       max(last_seq) FILTER (WHERE aggregate_id = 'product:' || (:p3)::bigint) AS seq3 FROM seqs \gset
-- the outbox: purchase.recorded and stock.changed x3, payloads as the service writes them
INSERT INTO customer.event_outbox (event_id, type, version, subject, aggregate_id, seq, occurred_at, payload)
VALUES
  (gen_random_uuid(), 'purchase.recorded', 1, 'patron.customer.purchase.recorded', 'purchase:' || (:purchase_id)::bigint, (:seq0)::bigint,
   now(), jsonb_build_object(
     'purchase_id', (:purchase_id)::bigint, 'number', NULL, 'customer_id', NULL, 'store_id', 0, 'channel', 'assisted',
     'source', 'live', 'currency', 'USD', 'base_currency', 'USD', 'rate', '1', 'purchased_at', now(),
     'reward_token', NULL, 'base_total', (:total)::text, 'local_total', (:total)::text, 'base_discount', '0.00',
     'local_discount', '0.00',
     'lines', (SELECT jsonb_agg(jsonb_build_object(
                 'line_id', id, 'line_no', line_no, 'product_id', product_id, 'quantity', quantity,
                 'base_unit_price', base_unit_price::text, 'local_unit_price', local_unit_price::text,
                 'base_discount', base_discount::text, 'local_discount', local_discount::text,
                 'base_total', base_total::text, 'local_total', local_total::text) ORDER BY line_no)
                 FROM customer.purchase_line WHERE purchase_id = (:purchase_id)::bigint))),
  (gen_random_uuid(), 'stock.changed', 1, 'patron.customer.stock.changed', 'product:' || (:p1)::bigint, (:seq1)::bigint, now(),
   jsonb_build_object('product_id', (:p1)::bigint, 'kind', 'sale', 'quantity', -(:q1)::int, 'stock_quantity', (:s1)::bigint,
                      'purchase_id', (:purchase_id)::bigint)),
  (gen_random_uuid(), 'stock.changed', 1, 'patron.customer.stock.changed', 'product:' || (:p2)::bigint, (:seq2)::bigint, now(),
   jsonb_build_object('product_id', (:p2)::bigint, 'kind', 'sale', 'quantity', -(:q2)::int, 'stock_quantity', (:s2)::bigint,
                      'purchase_id', (:purchase_id)::bigint)),
  (gen_random_uuid(), 'stock.changed', 1, 'patron.customer.stock.changed', 'product:' || (:p3)::bigint, (:seq3)::bigint, now(),
   jsonb_build_object('product_id', (:p3)::bigint, 'kind', 'sale', 'quantity', -(:q3)::int, 'stock_quantity', (:s3)::bigint,
                      'purchase_id', (:purchase_id)::bigint));
COMMIT;
