-- The signal journal and the rebalancing recommendations: every column of the product brief,
-- plus exit date/price, outcome override, soft delete and created_at.

CREATE SEQUENCE trading_signals_id_seq START 1;

CREATE TABLE trading_signals (
    id                        INTEGER PRIMARY KEY DEFAULT nextval('trading_signals_id_seq'),
    signal_date               DATE        NOT NULL,
    signal_time               TIMESTAMP   NOT NULL,
    symbol                    VARCHAR(10) NOT NULL,
    signal_type               VARCHAR(10) NOT NULL CHECK (signal_type IN ('BUY', 'SELL', 'HOLD')),
    signal_source             VARCHAR(50) NOT NULL,
    signal_strength           DECIMAL(5,2),
    confidence_level          VARCHAR(20),
    price_at_signal           DECIMAL(18,4),
    target_entry              DECIMAL(18,4),
    target_exit               DECIMAL(18,4),
    stop_loss                 DECIMAL(18,4),
    rsi_value                 DECIMAL(10,2),
    macd_value                DECIMAL(10,4),
    volume_ratio              DECIMAL(10,2),
    trend_direction           VARCHAR(10),
    current_position_size     DECIMAL(18,2),
    suggested_action          VARCHAR(50),
    suggested_quantity        INTEGER,
    suggested_allocation_pct  DECIMAL(5,2),
    use_margin                BOOLEAN DEFAULT FALSE,
    margin_requirement        DECIMAL(18,2),
    risk_level                VARCHAR(20),
    action_taken              BOOLEAN DEFAULT FALSE,
    actual_entry_date         DATE,
    actual_entry_price        DECIMAL(18,4),
    actual_quantity           INTEGER,
    max_profit_potential      DECIMAL(18,2),
    actual_profit             DECIMAL(18,2),
    days_held                 INTEGER,
    outcome                   VARCHAR(20),
    notes                     TEXT,
    exit_date                 DATE,
    exit_price                DECIMAL(18,4),
    outcome_overridden        BOOLEAN DEFAULT FALSE,
    deleted                   BOOLEAN DEFAULT FALSE,
    created_at                TIMESTAMP   NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE rebalancing_recommendations_id_seq START 1;

CREATE TABLE rebalancing_recommendations (
    id                        INTEGER PRIMARY KEY DEFAULT nextval('rebalancing_recommendations_id_seq'),
    recommendation_date       TIMESTAMP   NOT NULL,
    total_portfolio_value     DECIMAL(18,2),
    cash_available            DECIMAL(18,2),
    margin_available          DECIMAL(18,2),
    action_type               VARCHAR(20) CHECK (action_type IN ('SWAP', 'REDUCE', 'INCREASE')),
    symbol_to_reduce          VARCHAR(10),
    symbol_to_increase        VARCHAR(10),
    reduce_quantity           INTEGER,
    increase_quantity         INTEGER,
    reduce_reason             TEXT,
    increase_reason           TEXT,
    expected_improvement_pct  DECIMAL(10,2),
    risk_score                DECIMAL(5,2),
    executed                  BOOLEAN DEFAULT FALSE,
    execution_date            TIMESTAMP,
    actual_improvement_pct    DECIMAL(10,2),
    notes                     TEXT,
    created_at                TIMESTAMP   NOT NULL DEFAULT current_timestamp
);
