-- Facts about the database file itself, e.g. that the demo built it ('demo' → its as-of date).
-- The demo rebuilds only a file that carries its mark (or an empty one), never a user's data.

CREATE TABLE ducklens_meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

-- The basis of a signal's price levels: the adjustment factor (adj_close / close) of the
-- signal day's bar when they were recorded (1 = prices as traded that day). Judging rescales
-- them by the factor that bar has now, so a re-imported, re-adjusted history gives the same
-- verdict. NULL for signals recorded before: judged as stored.
ALTER TABLE trading_signals ADD COLUMN price_factor DECIMAL(24,12);
