//! Daily-bar files: Yahoo, Stooq (web CSV and the bulk `<TICKER>,<PER>,<DATE>,…` text
//! files) and a generic `date,open,high,low,close[,adj_close],volume[,symbol]` layout.
//! The format is recognised from the header; the symbol comes from a column or the file
//! name (`aapl.us.txt`, `AAPL.csv` → AAPL).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::portfolio_file::{delimiter, file_number, ImportError};
use crate::domain::bar::Bar;
pub use crate::domain::parse::parse_bar_date;
use crate::domain::parse::DecimalMark;
use crate::domain::symbol::Symbol;

/// Bars read from one file, grouped by symbol, plus the rows skipped under `--skip-bad`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceFile {
    pub bars: BTreeMap<Symbol, Vec<Bar>>,
    pub skipped: Vec<ImportError>,
}

impl PriceFile {
    pub fn row_count(&self) -> usize {
        self.bars.values().map(Vec::len).sum()
    }
}

#[derive(Default)]
struct Columns {
    symbol: Option<usize>,
    date: usize,
    open: Option<usize>,
    high: Option<usize>,
    low: Option<usize>,
    close: usize,
    adj_close: Option<usize>,
    volume: Option<usize>,
}

/// `aapl.us.txt` → AAPL, `BRK-B.csv` → BRK-B, `BRK.B.csv` → BRK.B: the extension and
/// Stooq's `.us` market suffix go, a dot inside the ticker stays.
pub fn symbol_from_file_name(path: &Path) -> Option<Symbol> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let mut stem = name;
    for ext in [".csv", ".txt"] {
        if lower.ends_with(ext) {
            stem = &name[..name.len() - ext.len()];
            break;
        }
    }
    if stem.to_ascii_lowercase().ends_with(".us") {
        stem = &stem[..stem.len() - 3];
    }
    Symbol::parse(stem).ok()
}

fn normalise_header(raw: &str) -> String {
    let h: String = raw
        .trim()
        .trim_matches(|c| c == '<' || c == '>')
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    match h.as_str() {
        "adjclose" | "adjustedclose" => "adj_close".into(),
        "vol" => "volume".into(),
        "ticker" => "symbol".into(),
        _ => h,
    }
}

fn columns(headers: &[String], name: &str) -> Result<Columns, ImportError> {
    let find = |want: &str| headers.iter().position(|h| h == want);
    let need = |want: &str| {
        find(want).ok_or_else(|| ImportError {
            location: format!("{name}:1"),
            message: format!(
                "no {want:?} column; expected Yahoo (Date,Open,High,Low,Close,Adj Close,Volume), \
                 Stooq (Date,Open,High,Low,Close,Volume) or date,open,high,low,close[,adj_close],volume"
            ),
        })
    };
    Ok(Columns {
        symbol: find("symbol"),
        date: need("date")?,
        open: find("open"),
        high: find("high"),
        low: find("low"),
        close: need("close")?,
        adj_close: find("adj_close"),
        volume: find("volume"),
    })
}

/// Decimals `prices.open/high/low/close` keep (DECIMAL(18,6), migrations 7 and 8): the most
/// any vendor file seen sends.
pub const PRICE_DECIMALS: u32 = 6;
/// Decimals `prices.adj_close` keeps (DECIMAL(24,12)).
pub const ADJ_CLOSE_DECIMALS: u32 = 12;
pub use crate::domain::bar::PRICE_LIMIT;

/// Parses one file's text. A malformed row fails the file with `FILE:LINE: column X: why`
/// unless `skip_bad`, which records it in `skipped` and goes on. Refused rows: a field
/// count other than the header's, a non-positive price, a price with more decimals than
/// stored ([`PRICE_DECIMALS`], [`ADJ_CLOSE_DECIMALS`]: values are kept as received), open or close outside [low, high], a date after `today`, and the
/// same date twice with different values (an identical repeat is dropped).
///
/// Fields are separated by `,`, or by `;` when the header uses it. Numbers are read with
/// `mark`: under [`DecimalMark::Comma`], `145,52` is 145.52 (quoted when `,` separates).
pub fn parse_prices(
    text: &str,
    path: &Path,
    skip_bad: bool,
    today: NaiveDate,
    mark: DecimalMark,
) -> Result<PriceFile, ImportError> {
    let name = path.display().to_string();
    let text = super::portfolio_file::without_bom(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        // Fields are trimmed as they are read (`parse_row`): trimming the record copies it.
        .trim(csv::Trim::Headers)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError {
            location: format!("{name}:1"),
            message: e.to_string(),
        })?
        .iter()
        .map(normalise_header)
        .collect();
    let cols = columns(&headers, &name)?;
    let file_symbol = symbol_from_file_name(path);
    if cols.symbol.is_none() && file_symbol.is_none() {
        return Err(ImportError {
            location: name,
            message: "no symbol column and no symbol in the file name".into(),
        });
    }
    let mut out = PriceFile::default();
    // The bars of the file's own symbol (no symbol column) gather here, without a map
    // lookup or a symbol copy per row.
    let mut own: Vec<Bar> = Vec::new();
    // One record reused: the import reads 170,000 lines of 34 files.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ImportError {
                    location: format!("{name}:{}", e.position().map_or(0, |p| p.line())),
                    message: e.to_string(),
                })
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let row = if record.len() != headers.len() {
            Err(format!(
                "{} fields where the header has {}",
                record.len(),
                headers.len()
            ))
        } else {
            parse_row(&record, &cols, mark)
                .and_then(|(symbol, bar)| check_bar(&bar, today).map(|()| (symbol, bar)))
        };
        match row {
            Ok((Some(symbol), bar)) => out.bars.entry(symbol).or_default().push(bar),
            Ok((None, bar)) => own.push(bar),
            Err(message) => {
                let e = ImportError {
                    location: format!("{name}:{line}"),
                    message,
                };
                if skip_bad {
                    out.skipped.push(e);
                } else {
                    return Err(e);
                }
            }
        }
    }
    if let (Some(symbol), false) = (file_symbol, own.is_empty()) {
        out.bars.insert(symbol, own);
    }
    for (symbol, bars) in out.bars.iter_mut() {
        bars.sort_by_key(|b| b.date);
        if let Some(pair) = bars
            .windows(2)
            .find(|p| p[0].date == p[1].date && p[0] != p[1])
        {
            return Err(ImportError {
                location: name,
                message: format!(
                    "{symbol} has {} twice with different values; keep one row per day",
                    pair[0].date
                ),
            });
        }
        bars.dedup();
    }
    Ok(out)
}

/// A bar's own consistency: open and close within [low, high], not in the future.
fn check_bar(bar: &Bar, today: NaiveDate) -> Result<(), String> {
    if bar.date > today {
        return Err(format!("column date: {} is in the future", bar.date));
    }
    let (Some(high), Some(low)) = (bar.high, bar.low) else {
        return Ok(());
    };
    for (label, v) in [("open", bar.open), ("close", Some(bar.close))] {
        if let Some(v) = v.filter(|v| *v < low || *v > high) {
            return Err(format!(
                "column {label}: {v} is outside the day's range [{low}, {high}]"
            ));
        }
    }
    Ok(())
}

/// One row's bar and its symbol column's symbol (`None` without such a column: the file
/// name's).
fn parse_row(
    record: &csv::StringRecord,
    cols: &Columns,
    mark: DecimalMark,
) -> Result<(Option<Symbol>, Bar), String> {
    // ASCII whitespace, as `csv::Trim::All` trimmed it.
    let get = |i: usize| record.get(i).unwrap_or("").trim_ascii();
    let symbol = match cols.symbol {
        Some(i) => Some({
            // Stooq bulk tickers carry the market: AAPL.US.
            let raw = get(i);
            let raw = raw
                .strip_suffix(".US")
                .or_else(|| raw.strip_suffix(".us"))
                .unwrap_or(raw);
            Symbol::parse(raw).map_err(|e| format!("column symbol: {e}"))?
        }),
        None => None,
    };
    let date = parse_bar_date(get(cols.date)).map_err(|e| format!("column date: {e}"))?;
    let price = |label: &str, i: Option<usize>, scale: u32| -> Result<Option<Decimal>, String> {
        match i.map(get) {
            None | Some("") => Ok(None),
            Some(raw) => {
                let v = file_number(raw, mark).map_err(|e| format!("column {label}: {e}"))?;
                if v <= Decimal::ZERO {
                    return Err(format!("column {label}: price must be positive, got {v}"));
                }
                if v >= PRICE_LIMIT {
                    return Err(format!(
                        "column {label}: {raw} is 1,000,000,000,000 or more; prices are kept \
                         below that"
                    ));
                }
                // Stored as received: a value the column cannot hold exactly is refused,
                // never rounded (issue 18).
                let decimals = if v.scale() > scale {
                    v.normalize().scale()
                } else {
                    v.scale()
                };
                if decimals > scale {
                    return Err(format!(
                        "column {label}: {raw} has {decimals} decimals; prices keep at most \
                         {scale}, so it cannot be stored as received"
                    ));
                }
                Ok(Some(v))
            }
        }
    };
    let close =
        price("close", Some(cols.close), PRICE_DECIMALS)?.ok_or("column close: is empty")?;
    let (open, high, low) = (
        price("open", cols.open, PRICE_DECIMALS)?,
        price("high", cols.high, PRICE_DECIMALS)?,
        price("low", cols.low, PRICE_DECIMALS)?,
    );
    if let (Some(h), Some(l)) = (high, low) {
        if h < l {
            return Err(format!("column high: high ({h}) is below low ({l})"));
        }
    }
    let volume = match cols.volume.map(get) {
        None | Some("") => None,
        Some(raw) => {
            let v = file_number(raw, mark).map_err(|e| format!("column volume: {e}"))?;
            if v < Decimal::ZERO {
                return Err(format!("column volume: cannot be negative, got {v}"));
            }
            Some(
                i64::try_from(v.trunc().mantissa())
                    .map_err(|_| "column volume: too large".to_string())?,
            )
        }
    };
    Ok((
        symbol,
        Bar {
            date,
            open,
            high,
            low,
            close,
            adj_close: price("adj_close", cols.adj_close, ADJ_CLOSE_DECIMALS)?,
            volume,
        },
    ))
}

#[cfg(test)]
#[path = "price_file_tests.rs"]
mod tests;
