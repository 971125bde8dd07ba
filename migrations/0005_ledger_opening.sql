-- The opening transactions of an existing database: one per holding (on its `opened` date,
-- else the opening date), the latest snapshot's cash and margin used on the opening date.
-- The opening date is the earliest of the holdings' opened dates and the snapshots' dates
-- (today for a database with neither), so an --as-of inside the recorded history sees
-- today's holdings and cash, as it did before the ledger.
CREATE TEMP TABLE ledger_opening AS
SELECT coalesce(
           least((SELECT min(opened) FROM holdings), (SELECT min(as_of) FROM account_snapshots)),
           (SELECT min(opened) FROM holdings),
           (SELECT min(as_of) FROM account_snapshots),
           CAST(CAST(current_timestamp AS TIMESTAMP) AS DATE)) AS day;

INSERT INTO transactions (date, kind, symbol, quantity, price, amount, notes, source)
SELECT coalesce(h.opened, o.day), 'OPENING_POSITION', h.symbol, h.quantity, h.avg_cost, 0,
       'opening position (upgrade to the ledger)', 'opening'
FROM holdings h, ledger_opening o
ORDER BY h.symbol;

INSERT INTO transactions (date, kind, amount, notes, source)
SELECT o.day, 'OPENING_CASH', s.cash,
       'opening cash: the balance of ' || CAST(s.as_of AS VARCHAR), 'opening'
FROM (SELECT * FROM account_snapshots ORDER BY as_of DESC LIMIT 1) s, ledger_opening o
WHERE s.cash <> 0;

INSERT INTO transactions (date, kind, amount, notes, source)
SELECT o.day, 'OPENING_MARGIN', s.margin_used,
       'opening margin used: the balance of ' || CAST(s.as_of AS VARCHAR), 'opening'
FROM (SELECT * FROM account_snapshots ORDER BY as_of DESC LIMIT 1) s, ledger_opening o
WHERE s.margin_used <> 0;

DROP TABLE ledger_opening;
