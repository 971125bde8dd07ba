-- Provisional bars (issue 16): the day so far from a quote, kept apart from `prices` so that
-- only the readers that opt in see them (the intraday check, `indicators`, the app); backtests,
-- calibration and the journal's judgements read `prices` and never meet one. The next final
-- daily bar for the symbol deletes its provisional bars up to that date in the same transaction.
-- `quote_time` is the exchange's wall-clock time (US/Eastern) of the last price; `fetched_at`
-- is UTC.

CREATE TABLE provisional_bars (
    symbol      VARCHAR(10)   NOT NULL,
    date        DATE          NOT NULL,
    open        DECIMAL(18,4),
    high        DECIMAL(18,4),
    low         DECIMAL(18,4),
    close       DECIMAL(18,4) NOT NULL,
    volume      BIGINT,
    quote_time  TIMESTAMP     NOT NULL,
    source      VARCHAR(20)   NOT NULL,
    fetched_at  TIMESTAMP     NOT NULL,
    PRIMARY KEY (symbol, date)
);
