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
