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

/// Parses one file's text. A malformed row fails the file with `FILE:LINE: column X: why`
/// unless `skip_bad`, which records it in `skipped` and goes on. Refused rows: a field
/// count other than the header's, a non-positive price (also one that rounds to 0 at the
/// stored four decimals), open or close outside [low, high], a date after `today`, and the
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
        .trim(csv::Trim::All)
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
    for record in reader.records() {
        let record = record.map_err(|e| ImportError {
            location: format!("{name}:{}", e.position().map_or(0, |p| p.line())),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let row = if record.len() != headers.len() {
            Err(format!(
                "{} fields where the header has {}",
                record.len(),
                headers.len()
            ))
        } else {
            parse_row(&record, &cols, file_symbol.as_ref(), mark)
                .and_then(|(symbol, bar)| check_bar(&bar, today).map(|()| (symbol, bar)))
        };
        match row {
            Ok((symbol, bar)) => out.bars.entry(symbol).or_default().push(bar),
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

fn parse_row(
    record: &csv::StringRecord,
    cols: &Columns,
    file_symbol: Option<&Symbol>,
    mark: DecimalMark,
) -> Result<(Symbol, Bar), String> {
    let get = |i: usize| record.get(i).unwrap_or("");
    let symbol = match cols.symbol {
        Some(i) => {
            // Stooq bulk tickers carry the market: AAPL.US.
            let raw = get(i);
            let raw = raw
                .strip_suffix(".US")
                .or_else(|| raw.strip_suffix(".us"))
                .unwrap_or(raw);
            Symbol::parse(raw).map_err(|e| format!("column symbol: {e}"))?
        }
        None => file_symbol.cloned().ok_or("no symbol")?,
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
                let stored = v.round_dp(scale);
                if stored.is_zero() {
                    return Err(format!(
                        "column {label}: {v} rounds to 0 at the stored {scale} decimals"
                    ));
                }
                Ok(Some(stored))
            }
        }
    };
    let close = price("close", Some(cols.close), 4)?.ok_or("column close: is empty")?;
    let (open, high, low) = (
        price("open", cols.open, 4)?,
        price("high", cols.high, 4)?,
        price("low", cols.low, 4)?,
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
            adj_close: price("adj_close", cols.adj_close, 12)?,
            volume,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const P: DecimalMark = DecimalMark::Point;

    fn p(name: &str) -> &Path {
        Path::new(name)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn yahoo_with_symbol_from_file_name() {
        let text = "Date,Open,High,Low,Close,Adj Close,Volume\n\
                    2020-08-28,504.05,505.77,498.31,499.23,124.1,46907479\n\
                    2020-08-31,127.58,131.00,126.00,129.04,128.3,225702700\n";
        let file = parse_prices(text, p("data/AAPL.csv"), false, today(), P).unwrap();
        let bars = &file.bars[&Symbol::parse("AAPL").unwrap()];
        assert_eq!(bars.len(), 2);
        assert_eq!(bars[0].adj_close, Some(dec!(124.1)));
        assert_eq!(bars[1].volume, Some(225_702_700));
    }

    #[test]
    fn stooq_web_and_bulk_layouts() {
        let web = "Date,Open,High,Low,Close,Volume\n2024-03-01,10,11,9,10.5,1000\n";
        let file = parse_prices(web, p("aapl.us.txt"), false, today(), P).unwrap();
        let bar = &file.bars[&Symbol::parse("AAPL").unwrap()][0];
        assert_eq!((bar.adj_close, bar.close), (None, dec!(10.5)));

        let bulk = "<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>\n\
                    MSFT.US,D,20240301,000000,410.1,415.2,408.3,414.0,20000000,0\n";
        let file = parse_prices(bulk, p("whatever.txt"), false, today(), P).unwrap();
        let bar = &file.bars[&Symbol::parse("MSFT").unwrap()][0];
        assert_eq!(bar.date, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
    }

    #[test]
    fn generic_with_symbol_column_and_us_dates() {
        let text = "symbol,date,open,high,low,close,adj_close,volume\n\
                    spy,03/01/2024,500,510,495,505,0.595871970054,1\n\
                    QQQ,2024-03-01,400,410,395,405,,2\n";
        let file = parse_prices(text, p("mixed.csv"), false, today(), P).unwrap();
        assert_eq!(file.bars.len(), 2);
        assert_eq!(
            file.bars[&Symbol::parse("SPY").unwrap()][0].adj_close,
            Some(dec!(0.595871970054))
        );
    }

    #[test]
    fn bad_rows_name_file_line_and_column() {
        let text = "date,open,high,low,close,volume\n2024-03-01,10,9,11,10,5\n";
        let e = parse_prices(text, p("x/prices.csv"), false, today(), P).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x/prices.csv:2: column high: high (9) is below low (11)"
        );

        let text = "date,open,high,low,close,volume\n2024-03-01,10,11,9,10,5\n2024-13-01,1,1,1,1,1\n2024-03-04,10,11,9,-1,5\n";
        let e = parse_prices(text, p("prices.csv"), false, today(), P).unwrap_err();
        assert!(
            e.to_string().starts_with("prices.csv:3: column date:"),
            "{e}"
        );

        let skipped = parse_prices(text, p("prices.csv"), true, today(), P).unwrap();
        assert_eq!(skipped.row_count(), 1);
        assert_eq!(skipped.skipped.len(), 2);
        assert_eq!(
            skipped.skipped[1].to_string(),
            "prices.csv:4: column close: price must be positive, got -1"
        );
    }

    #[test]
    fn unknown_header_is_explained() {
        let e = parse_prices("when,price\n", p("a.csv"), false, today(), P).unwrap_err();
        assert!(e.message.contains("no \"date\" column"), "{e}");
    }

    fn refused(text: &str) -> String {
        parse_prices(text, p("x/T.csv"), false, today(), P)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn open_or_close_outside_the_days_range_is_refused() {
        let head = "date,open,high,low,close,volume\n";
        let e = refused(&format!("{head}2024-03-01,10,11,9,11.5,5\n"));
        assert_eq!(
            e,
            "x/T.csv:2: column close: 11.5 is outside the day's range [9, 11]"
        );
        let e = refused(&format!("{head}2024-03-01,10,11,9,8.99,5\n"));
        assert!(e.contains("column close: 8.99 is outside"), "{e}");
        let e = refused(&format!("{head}2024-03-01,22,11,9,10,5\n"));
        assert!(e.contains("column open: 22 is outside"), "{e}");
    }

    #[test]
    fn a_decimal_comma_or_thousands_separator_is_refused_not_scaled() {
        // "145,52" unquoted shifts the columns: a field count error; quoted, a comma error.
        let e = refused("date,open,high,low,close,volume\n2024-03-01,145,52,146,144,145,100\n");
        assert!(e.contains("7 fields where the header has 6"), "{e}");
        let e = refused("date,open,high,low,close,volume\n2024-03-01,\"145,52\",146,144,145,100\n");
        assert!(
            e.contains("column open") && e.contains("decimal point"),
            "{e}"
        );
    }

    #[test]
    fn rows_cut_short_or_too_long_are_refused() {
        let e = refused("date,open,high,low,close,volume\n2024-03-01,10,11,9,10\n");
        assert_eq!(e, "x/T.csv:2: 5 fields where the header has 6");
        let e = refused("date,open,high,low,close,volume\n2024-03-01,10,11,9,10,5,1,2\n");
        assert!(e.contains("8 fields where the header has 6"), "{e}");
    }

    #[test]
    fn a_price_that_rounds_to_zero_a_future_date_and_a_conflicting_duplicate_are_refused() {
        let e = refused("date,close\n2024-03-01,0.00004\n");
        assert!(e.contains("rounds to 0 at the stored 4 decimals"), "{e}");
        let e = refused("date,close\n2026-11-28,10\n");
        assert!(e.contains("2026-11-28 is in the future"), "{e}");
        let e = refused("date,close\n2024-03-01,10\n2024-03-01,11\n");
        assert!(e.contains("2024-03-01 twice with different values"), "{e}");
        // The same row twice is harmless and kept once.
        let file = parse_prices(
            "date,close\n2024-03-01,10\n2024-03-01,10\n",
            p("T.csv"),
            false,
            today(),
            P,
        )
        .unwrap();
        assert_eq!(file.row_count(), 1);
    }

    #[test]
    fn a_dotted_ticker_keeps_its_dot_and_punctuation_is_no_symbol() {
        assert_eq!(
            symbol_from_file_name(p("data/BRK.B.csv")).unwrap().as_str(),
            "BRK.B"
        );
        assert_eq!(
            symbol_from_file_name(p("aapl.us.txt")).unwrap().as_str(),
            "AAPL"
        );
        assert_eq!(symbol_from_file_name(p("..csv")), None);
        let e = refused("symbol,date,close\n-,2024-03-01,10\n");
        assert!(e.contains("column symbol"), "{e}");
    }

    #[test]
    fn decimal_commas_are_read_only_when_asked_and_semicolons_separate() {
        let text = "Date;Open;High;Low;Close;Volume\n\
                    2024-03-01;145,52;1.146,00;144,10;145,00;1.200\n";
        let e = refused(text);
        assert_eq!(
            e,
            "x/T.csv:2: column close: \"145,00\": write numbers with a decimal point and no \
             thousands separator (1234.56); for a file written with decimal commas use \
             --decimal-comma"
        );
        let file = parse_prices(text, p("x/T.csv"), false, today(), DecimalMark::Comma).unwrap();
        let bar = &file.bars[&Symbol::parse("T").unwrap()][0];
        // 1.146,00 is 1146: the high, and the open 145.52 lies in [144.10, 1146].
        assert_eq!(
            (bar.open, bar.high, bar.low, bar.close, bar.volume),
            (
                Some(dec!(145.52)),
                Some(dec!(1146)),
                Some(dec!(144.10)),
                dec!(145),
                Some(1200)
            )
        );
        // A point in a decimal-comma file is a thousands separator: 10.5 is refused.
        let e = parse_prices(
            "date;close\n2024-03-01;10.5\n",
            p("x/T.csv"),
            false,
            today(),
            DecimalMark::Comma,
        )
        .unwrap_err();
        assert!(e
            .to_string()
            .starts_with("x/T.csv:2: column close: \"10.5\" is not"));
    }

    #[test]
    fn a_negative_or_five_digit_year_is_no_date() {
        let e = refused("date,close\n-0001-03-01,10\n");
        assert_eq!(
            e,
            "x/T.csv:2: column date: \"-0001-03-01\": the year must be from 0001 to 9999"
        );
    }
}
