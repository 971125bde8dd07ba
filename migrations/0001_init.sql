-- Market data and the portfolio model.
-- Money is DECIMAL(18,2), prices and quantities DECIMAL(18,4); indicators are analytics (DOUBLE).

CREATE TABLE prices (
    symbol     VARCHAR(10)   NOT NULL,
    date       DATE          NOT NULL,
    open       DECIMAL(18,4),
    high       DECIMAL(18,4),
    low        DECIMAL(18,4),
    close      DECIMAL(18,4) NOT NULL,
    adj_close  DECIMAL(24,12), -- vendors send 12 decimals (0.595871970054); kept as received
    volume     BIGINT,
    source     VARCHAR(20)   NOT NULL,
    PRIMARY KEY (symbol, date)
);

CREATE TABLE indicators (
    symbol        VARCHAR(10) NOT NULL,
    date          DATE        NOT NULL,
    sma_20        DOUBLE,
    sma_50        DOUBLE,
    sma_200       DOUBLE,
    ema_12        DOUBLE,
    ema_26        DOUBLE,
    macd          DOUBLE,
    macd_signal   DOUBLE,
    macd_hist     DOUBLE,
    rsi_14        DOUBLE,
    volume_ratio  DOUBLE,
    atr_14        DOUBLE,
    PRIMARY KEY (symbol, date)
);

CREATE TABLE holdings (
    symbol    VARCHAR(10)   PRIMARY KEY,
    quantity  DECIMAL(18,4) NOT NULL CHECK (quantity > 0),
    avg_cost  DECIMAL(18,4) NOT NULL CHECK (avg_cost > 0),
    opened    DATE,
    notes     TEXT
);

CREATE TABLE watchlist (
    symbol  VARCHAR(10) PRIMARY KEY,
    added   DATE        NOT NULL,
    notes   TEXT
);

CREATE TABLE account_snapshots (
    as_of             DATE          PRIMARY KEY,
    cash              DECIMAL(18,2) NOT NULL,
    margin_available  DECIMAL(18,2) NOT NULL DEFAULT 0,
    margin_used       DECIMAL(18,2) NOT NULL DEFAULT 0,
    notes             TEXT
);
