-- Raw prices as received (issue 18): vendors send open/high/low/close with up to 6 decimals
-- (9,562 fields of the 34 reference files), which DECIMAL(18,4) rounded. Six decimals hold
-- every value seen; 20 digits keep the 14 integer digits every number entry accepts
-- (domain::parse::MAX_NUMBER). adj_close already keeps 12 decimals. The import refuses a
-- value with more decimals than its column keeps instead of rounding it. Widening is exact:
-- every stored figure keeps its value.

ALTER TABLE prices ALTER COLUMN open TYPE DECIMAL(20,6);
ALTER TABLE prices ALTER COLUMN high TYPE DECIMAL(20,6);
ALTER TABLE prices ALTER COLUMN low TYPE DECIMAL(20,6);
ALTER TABLE prices ALTER COLUMN close TYPE DECIMAL(20,6);

-- The indicators lose their PRIMARY KEY: only the import and fetch write them, always as a
-- symbol's whole history after deleting the old one, so the key never guarded anything,
-- while maintaining its index was a fifth of an import. Reads filter on symbol and date
-- ranges, which use the zone maps, not the index.
CREATE TABLE indicators_v7 (
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
    atr_14        DOUBLE
);
INSERT INTO indicators_v7 SELECT * FROM indicators ORDER BY symbol, date;
DROP TABLE indicators;
ALTER TABLE indicators_v7 RENAME TO indicators;
