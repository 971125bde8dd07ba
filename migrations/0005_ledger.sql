-- The ledger (issue 15): every change to positions, cash and margin is a dated transaction;
-- holdings, cost basis (FIFO lots), cash and margin used as of any date are replayed from it.
-- `holdings` stays as a cache of today's positions, re-derived in the same transaction as
-- every ledger write; `account_snapshots` stays as the broker's figures (reconciliation).
--
-- Signs: `amount` is the transaction's effect on cash, signed (a BUY is negative, a SELL,
-- DEPOSIT or DIVIDEND positive), fees included; `fees` repeats the fee part for reporting.
-- Two kinds are not cash: OPENING_MARGIN's amount is margin used added, and a SPLIT has
-- amount 0 and multiplies the symbol's shares by split_to / split_from (2:1 → 2/1, 1:10 → 1/10).
-- OPENING_POSITION adds a lot of `quantity` at `price` per share without moving cash (a
-- position brought in); ADJUSTMENT sets the symbol's position to `quantity` at `price`
-- (0 = gone) without cash or realized P&L (an edited or removed holding).

CREATE SEQUENCE transactions_id_seq START 1;

CREATE TABLE transactions (
    id                 INTEGER PRIMARY KEY DEFAULT nextval('transactions_id_seq'),
    date               DATE          NOT NULL,
    kind               VARCHAR(20)   NOT NULL CHECK (kind IN (
                           'BUY', 'SELL', 'DEPOSIT', 'WITHDRAWAL', 'DIVIDEND', 'FEE',
                           'INTEREST', 'MARGIN_INTEREST', 'SPLIT', 'MARGIN_BORROW',
                           'MARGIN_REPAY', 'OPENING_POSITION', 'OPENING_CASH',
                           'OPENING_MARGIN', 'ADJUSTMENT')),
    symbol             VARCHAR(10),
    quantity           DECIMAL(18,4),
    price              DECIMAL(18,4),
    amount             DECIMAL(18,2) NOT NULL DEFAULT 0,
    fees               DECIMAL(18,2) NOT NULL DEFAULT 0,
    split_from         INTEGER,
    split_to           INTEGER,
    notes              TEXT,
    source             VARCHAR(10)   NOT NULL CHECK (source IN (
                           'manual', 'import', 'swap', 'signal', 'opening', 'proposal')),
    signal_id          INTEGER,
    recommendation_id  INTEGER,
    created_at         TIMESTAMP     NOT NULL DEFAULT current_timestamp
);

CREATE INDEX transactions_date_idx ON transactions (date);

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
