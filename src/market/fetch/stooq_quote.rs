//! Stooq's quote CSV (`/q/l/?s=aapl.us+msft.us&f=sd2t2ohlcv&h&e=csv`, no key): one row per
//! asked symbol, `Symbol,Date,Time,Open,High,Low,Close,Volume`, with `N/D` in every field
//! for a symbol Stooq does not know. Stooq's clock is Warsaw's; quotes are kept in
//! US/Eastern like Polygon's.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::FetchError;
use crate::domain::portfolio::to_price;
use crate::domain::quote::{eastern_of_utc, utc_of_warsaw, Quote};
use crate::domain::symbol::Symbol;

const NAME: &str = "stooq";

/// Stooq's name of a US symbol: `BRK.B` → `brk-b.us`.
pub fn stooq_ticker(symbol: &Symbol) -> String {
    format!(
        "{}.us",
        symbol.as_str().to_ascii_lowercase().replace('.', "-")
    )
}

fn malformed(message: String) -> FetchError {
    FetchError::Malformed {
        provider: NAME,
        message,
    }
}

/// One outcome per asked symbol, in the order asked (see `parse_snapshot` for Polygon's).
pub fn parse_quotes(
    body: &str,
    symbols: &[Symbol],
    today: NaiveDate,
) -> Result<super::QuoteOutcomes, FetchError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(body.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| malformed(e.to_string()))?
        .iter()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>();
    let expected = [
        "symbol", "date", "time", "open", "high", "low", "close", "volume",
    ];
    if header != expected {
        return Err(malformed(format!(
            "header is `{}`, expected `Symbol,Date,Time,Open,High,Low,Close,Volume`",
            header.join(",")
        )));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| malformed(format!("line {}: {e}", i + 2)))?;
        rows.push((i + 2, record));
    }
    symbols
        .iter()
        .map(|symbol| {
            let wanted = stooq_ticker(symbol);
            let row = rows
                .iter()
                .find(|(_, r)| r.get(0).is_some_and(|s| s.eq_ignore_ascii_case(&wanted)));
            let outcome = match row {
                Some((line, r)) => quote_of(r, *line, symbol, today)?,
                None => Err(unknown(symbol)),
            };
            Ok((symbol.clone(), outcome))
        })
        .collect()
}

fn unknown(symbol: &Symbol) -> FetchError {
    FetchError::UnknownSymbol {
        provider: NAME,
        symbol: symbol.to_string(),
    }
}

fn quote_of(
    r: &csv::StringRecord,
    line: usize,
    symbol: &Symbol,
    today: NaiveDate,
) -> Result<Result<Quote, FetchError>, FetchError> {
    let field = |i: usize| r.get(i).unwrap_or("").trim();
    if field(1).eq_ignore_ascii_case("n/d") {
        return Ok(Err(unknown(symbol)));
    }
    let bad = |what: &str, text: &str| malformed(format!("line {line}: {what} `{text}`"));
    let local =
        NaiveDateTime::parse_from_str(&format!("{} {}", field(1), field(2)), "%Y-%m-%d %H:%M:%S")
            .map_err(|_| bad("date and time", &format!("{} {}", field(1), field(2))))?;
    let time = eastern_of_utc(utc_of_warsaw(local));
    let price = |i: usize, what: &str| -> Result<Option<Decimal>, FetchError> {
        let text = field(i);
        if text.eq_ignore_ascii_case("n/d") || text.is_empty() {
            return Ok(None);
        }
        text.parse::<Decimal>()
            .map(|p| Some(to_price(p)).filter(|p| *p > Decimal::ZERO))
            .map_err(|_| bad(what, text))
    };
    let last = price(6, "close")?.ok_or_else(|| bad("close", field(6)))?;
    if time.date() != today {
        return Ok(Err(FetchError::NoTradeToday {
            provider: NAME,
            symbol: symbol.to_string(),
            last: Some(time),
        }));
    }
    let volume = match field(7) {
        "" => None,
        v if v.eq_ignore_ascii_case("n/d") => None,
        v => Some(v.parse::<i64>().map_err(|_| bad("volume", v))?),
    };
    Ok(Ok(Quote {
        symbol: symbol.clone(),
        time,
        open: price(3, "open")?,
        high: price(4, "high")?,
        low: price(5, "low")?,
        last,
        volume,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn sym(s: &str) -> Symbol {
        Symbol::parse(s).unwrap()
    }

    #[test]
    fn rows_become_quotes_and_n_d_an_unknown_symbol() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let body = "Symbol,Date,Time,Open,High,Low,Close,Volume\n\
                    AAPL.US,2026-12-01,20:52:07,179.55,180.53,177.38,179.66,31488997\n\
                    BRK-B.US,2026-11-30,22:00:09,410,412,409,411.5,1000\n\
                    ZZZZ.US,N/D,N/D,N/D,N/D,N/D,N/D,N/D\n";
        let out = parse_quotes(
            body,
            &[sym("AAPL"), sym("BRK.B"), sym("ZZZZ"), sym("MSFT")],
            today,
        )
        .unwrap();
        let q = out[0].1.as_ref().unwrap();
        // 20:52:07 in Warsaw (CET, UTC+1) = 19:52:07 UTC = 14:52:07 EST.
        assert_eq!(q.time.to_string(), "2026-12-01 14:52:07");
        assert_eq!(
            (q.open, q.high, q.low, q.last),
            (
                Some(dec!(179.55)),
                Some(dec!(180.53)),
                Some(dec!(177.38)),
                dec!(179.66)
            )
        );
        assert_eq!(q.volume, Some(31_488_997));
        // 22:00:09 Warsaw = 16:00:09 EST on 30 November: yesterday's close, no trade today.
        assert!(
            matches!(&out[1].1, Err(FetchError::NoTradeToday { last: Some(t), .. }) if t.to_string() == "2026-11-30 16:00:09")
        );
        assert!(matches!(&out[2].1, Err(FetchError::UnknownSymbol { .. })));
        // Not in the answer at all.
        assert!(matches!(&out[3].1, Err(FetchError::UnknownSymbol { .. })));
    }

    #[test]
    fn a_wrong_header_or_a_bad_price_is_malformed() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let bad_header = "<html>Too many requests</html>";
        let bad_price = "Symbol,Date,Time,Open,High,Low,Close,Volume\nAAPL.US,2026-12-01,20:52:07,1,2,1,abc,5\n";
        for body in [bad_header, bad_price] {
            assert!(
                matches!(
                    parse_quotes(body, &[sym("AAPL")], today),
                    Err(FetchError::Malformed { .. })
                ),
                "{body}"
            );
        }
    }
}
