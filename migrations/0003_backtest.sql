-- Stored backtest runs: parameters and metrics as JSON, the daily equity curve and the trade log.

CREATE SEQUENCE backtest_runs_id_seq START 1;

CREATE TABLE backtest_runs (
    id               INTEGER PRIMARY KEY DEFAULT nextval('backtest_runs_id_seq'),
    created_at       TIMESTAMP     NOT NULL DEFAULT current_timestamp,
    strategy         VARCHAR(30)   NOT NULL,
    benchmark        VARCHAR(10)   NOT NULL,
    from_date        DATE          NOT NULL,
    to_date          DATE          NOT NULL,
    initial_capital  DECIMAL(18,2) NOT NULL,
    final_value      DECIMAL(18,2) NOT NULL,
    params_json      TEXT          NOT NULL,
    metrics_json     TEXT          NOT NULL
);

CREATE TABLE backtest_equity (
    run_id           INTEGER       NOT NULL,
    date             DATE          NOT NULL,
    cash             DECIMAL(18,2) NOT NULL,
    positions_value  DECIMAL(18,2) NOT NULL,
    debt             DECIMAL(18,2) NOT NULL DEFAULT 0,
    equity           DECIMAL(18,2) NOT NULL,
    benchmark_value  DECIMAL(18,2),
    drawdown_pct     DOUBLE,
    PRIMARY KEY (run_id, date)
);

CREATE TABLE backtest_trades (
    run_id      INTEGER       NOT NULL,
    seq         INTEGER       NOT NULL,
    date        DATE          NOT NULL,
    symbol      VARCHAR(10)   NOT NULL,
    side        VARCHAR(10)   NOT NULL,
    quantity    DECIMAL(18,4) NOT NULL,
    price       DECIMAL(18,4) NOT NULL,
    commission  DECIMAL(18,2) NOT NULL DEFAULT 0,
    reason      TEXT,
    pnl         DECIMAL(18,2),
    PRIMARY KEY (run_id, seq)
);
