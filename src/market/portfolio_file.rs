//! Parsing portfolio and watchlist files. Everything is validated before anything is
//! written, and every error names the file and the line or JSON path.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::domain::parse::parse_number;
pub use crate::domain::parse::{parse_date, parse_decimal, DecimalMark, MAX_NUMBER};
use crate::domain::portfolio::{to_cents, to_price, Holding};
use crate::domain::symbol::Symbol;

/// What a portfolio file holds. `cash` is present only in the previous tool's JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioFile {
    pub holdings: Vec<Holding>,
    pub cash: Option<Decimal>,
    /// The day the file's cash is from: the JSON's `last_updated` (its date part).
    pub cash_as_of: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ImportError {
    /// `file:line`, `file:line:column` or `file: $.json.path`.
    pub location: String,
    pub message: String,
}

fn err(location: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError {
        location: location.into(),
        message: message.into(),
    }
}

/// Reads a portfolio file, choosing the format by extension (`.json`) or content (`{`).
pub fn read_portfolio(path: &Path, mark: DecimalMark) -> Result<PortfolioFile, ImportError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| err(&name, e.to_string()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    if is_json {
        parse_portfolio_json(&text, &name, mark)
    } else {
        parse_portfolio_csv(&text, &name, mark)
    }
}

/// The previous tool's `portfolio.json`. JSON numbers always have a decimal point; `mark`
/// decides how numbers given as strings (`"quantity": "1,5"`) are read.
pub fn parse_portfolio_json(
    text: &str,
    name: &str,
    mark: DecimalMark,
) -> Result<PortfolioFile, ImportError> {
    let text = without_bom(text);
    duplicate_position(text).map_or(Ok(()), |key| {
        Err(err(
            format!("{name}: $.positions.{key}"),
            format!("{key} appears twice; keep one position per symbol"),
        ))
    })?;
    let root: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        err(
            format!("{name}:{}:{}", e.line(), e.column()),
            format!("not valid JSON: {e}"),
        )
    })?;
    let at = |path: &str| format!("{name}: $.{path}");
    let object = root
        .as_object()
        .ok_or_else(|| err(format!("{name}: $"), "expected a JSON object"))?;
    let cash = match object.get("cash") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => {
            let cash = json_decimal(v, mark).map_err(|m| err(at("cash"), m))?;
            if cash < Decimal::ZERO {
                return Err(err(
                    at("cash"),
                    format!("cash cannot be negative, got {cash}"),
                ));
            }
            Some(to_cents(cash))
        }
    };
    let positions = match object.get("positions") {
        None | Some(serde_json::Value::Null) => serde_json::Map::new(),
        Some(serde_json::Value::Object(map)) => map.clone(),
        Some(_) => return Err(err(at("positions"), "expected an object keyed by symbol")),
    };
    let mut holdings = Vec::with_capacity(positions.len());
    for (key, value) in &positions {
        let path = format!("positions.{key}");
        holdings.push(json_position(key, value, mark).map_err(|(field, m)| {
            let full = if field.is_empty() {
                path.clone()
            } else {
                format!("{path}.{field}")
            };
            err(at(&full), m)
        })?);
    }
    let cash_as_of = match object.get("last_updated") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(json_date(v).map_err(|m| err(at("last_updated"), m))?),
    };
    Ok(PortfolioFile {
        holdings,
        cash,
        cash_as_of,
    })
}

/// `2024-06-01`, `2024-06-01T10:00:00` or with fractions/offset: the date part.
fn json_date(v: &serde_json::Value) -> Result<NaiveDate, String> {
    let text = v
        .as_str()
        .ok_or_else(|| format!("expected a date string, got {v}"))?;
    let day = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| format!("expected a date such as 2024-06-01T10:00:00, got {text:?}"))
}

#[derive(Deserialize)]
struct JsonPosition {
    symbol: Option<String>,
    quantity: Option<serde_json::Value>,
    price_paid: Option<serde_json::Value>,
    purchase_date: Option<String>,
    notes: Option<String>,
}

/// Errors come back as (field, message) so the caller can build the JSON path.
fn json_position(
    key: &str,
    value: &serde_json::Value,
    mark: DecimalMark,
) -> Result<Holding, (String, String)> {
    let pos: JsonPosition = serde_json::from_value(value.clone())
        .map_err(|e| (String::new(), format!("expected a position object: {e}")))?;
    let symbol = Symbol::parse(key).map_err(|e| (String::new(), e.to_string()))?;
    if let Some(inner) = &pos.symbol {
        let inner = Symbol::parse(inner).map_err(|e| ("symbol".to_string(), e.to_string()))?;
        if inner != symbol {
            return Err((
                "symbol".into(),
                format!("{inner} does not match its key {symbol}"),
            ));
        }
    }
    let number =
        |field: &str, v: &Option<serde_json::Value>| -> Result<Decimal, (String, String)> {
            let v = v
                .as_ref()
                .ok_or((field.to_string(), "is missing".to_string()))?;
            json_decimal(v, mark).map_err(|m| (field.to_string(), m))
        };
    let quantity = to_price(number("quantity", &pos.quantity)?);
    let price_paid = to_price(number("price_paid", &pos.price_paid)?);
    let opened = match pos.purchase_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(parse_date(raw).map_err(|m| ("purchase_date".to_string(), m))?),
    };
    Holding::new(symbol, quantity, price_paid, opened, pos.notes).map_err(|e| {
        let field = match e {
            crate::domain::portfolio::HoldingError::NonPositiveQuantity(_) => "quantity",
            crate::domain::portfolio::HoldingError::NonPositiveCost(_) => "price_paid",
        };
        (field.to_string(), e.to_string())
    })
}

/// Editors on Windows start UTF-8 files with a byte-order mark; it is not content.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The first key that appears twice in `positions` (a JSON object keeps only the last, which
/// would silently drop a position).
fn duplicate_position(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Root {
        positions: Option<Keys>,
    }
    struct Keys(Vec<String>);
    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visit;
            impl<'de> serde::de::Visitor<'de> for Visit {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        keys.push(key);
                    }
                    Ok(Keys(keys))
                }
            }
            d.deserialize_any(Visit)
        }
    }
    let root: Root = serde_json::from_str(text).ok()?;
    let mut seen = BTreeSet::new();
    root.positions?
        .0
        .into_iter()
        .find(|k| !seen.insert(k.to_ascii_uppercase()))
}

/// A JSON number (kept as its exact text, never through `f64`) or a numeric string.
fn json_decimal(v: &serde_json::Value, mark: DecimalMark) -> Result<Decimal, String> {
    match v {
        serde_json::Value::Number(n) => parse_decimal(&n.to_string()),
        serde_json::Value::String(s) => file_number(s, mark),
        other => Err(format!("expected a number, got {other}")),
    }
}

/// A number in a file: as [`parse_number`], and when a comma is refused, the error says how
/// to read a file written with decimal commas.
pub(crate) fn file_number(raw: &str, mark: DecimalMark) -> Result<Decimal, String> {
    parse_number(raw, mark).map_err(|e| {
        if mark == DecimalMark::Point && raw.contains(',') {
            format!("{e}; for a file written with decimal commas use --decimal-comma")
        } else {
            e
        }
    })
}

/// The field delimiter from the header line: `;` where it outnumbers `,` (the usual layout
/// of files written with decimal commas), else `,`.
pub(crate) fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// `symbol,quantity,avg_cost,opened[,notes]` with a header row (or `;`-separated).
pub fn parse_portfolio_csv(
    text: &str,
    name: &str,
    mark: DecimalMark,
) -> Result<PortfolioFile, ImportError> {
    let text = without_bom(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(format!("{name}:1"), e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let column = |wanted: &str| headers.iter().position(|h| h == wanted);
    let required = ["symbol", "quantity", "avg_cost", "opened"];
    let mut idx = [0usize; 4];
    for (slot, wanted) in idx.iter_mut().zip(required) {
        *slot = column(wanted).ok_or_else(|| {
            err(
                format!("{name}:1"),
                format!(
                    "missing column {wanted:?}; expected symbol,quantity,avg_cost,opened[,notes]"
                ),
            )
        })?;
    }
    let notes_idx = column("notes");
    let mut seen = BTreeSet::new();
    let mut holdings = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(format!("{name}:{line}"), e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let at = |col: &str, m: String| err(format!("{name}:{line}"), format!("column {col}: {m}"));
        let field = |i: usize| record.get(i).unwrap_or("");
        let symbol = Symbol::parse(field(idx[0])).map_err(|e| at("symbol", e.to_string()))?;
        let quantity = file_number(field(idx[1]), mark).map_err(|m| at("quantity", m))?;
        let avg_cost = file_number(field(idx[2]), mark).map_err(|m| at("avg_cost", m))?;
        let opened = match field(idx[3]) {
            "" => None,
            raw => Some(parse_date(raw).map_err(|m| at("opened", m))?),
        };
        let notes = notes_idx.map(|i| field(i).to_string());
        if quantity <= Decimal::ZERO {
            return Err(at("quantity", format!("must be positive, got {quantity}")));
        }
        if avg_cost <= Decimal::ZERO {
            return Err(at("avg_cost", format!("must be positive, got {avg_cost}")));
        }
        if !seen.insert(symbol.clone()) {
            return Err(at("symbol", format!("{symbol} appears twice")));
        }
        let holding = Holding::new(
            symbol,
            to_price(quantity),
            to_price(avg_cost),
            opened,
            notes,
        )
        .map_err(|e| at("quantity", e.to_string()))?;
        holdings.push(holding);
    }
    Ok(PortfolioFile {
        holdings,
        cash: None,
        cash_as_of: None,
    })
}

/// A watchlist: one symbol per line (`#` comments allowed), or a CSV with a `symbol`
/// column and optional `notes`. Returns (symbol, notes) pairs, duplicates removed.
pub fn parse_watchlist(
    text: &str,
    name: &str,
) -> Result<Vec<(Symbol, Option<String>)>, ImportError> {
    let text = without_bom(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let is_csv = first.contains(',') || first.trim().eq_ignore_ascii_case("symbol");
    let mut out: Vec<(Symbol, Option<String>)> = Vec::new();
    let mut push = |symbol: Symbol, notes: Option<String>| {
        if !out.iter().any(|(s, _)| *s == symbol) {
            out.push((symbol, notes.filter(|n| !n.is_empty())));
        }
    };
    if !is_csv {
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let symbol =
                Symbol::parse(line).map_err(|e| err(format!("{name}:{}", i + 1), e.to_string()))?;
            push(symbol, None);
        }
        return Ok(out);
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(format!("{name}:1"), e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let symbol_idx = headers.iter().position(|h| h == "symbol").ok_or_else(|| {
        err(
            format!("{name}:1"),
            "a CSV watchlist needs a \"symbol\" column",
        )
    })?;
    let notes_idx = headers.iter().position(|h| h == "notes");
    for record in reader.records() {
        let record = record.map_err(|e| {
            err(
                format!("{name}:{}", e.position().map_or(0, |p| p.line())),
                e.to_string(),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let symbol = Symbol::parse(record.get(symbol_idx).unwrap_or(""))
            .map_err(|e| err(format!("{name}:{line}"), format!("column symbol: {e}")))?;
        push(
            symbol,
            notes_idx.and_then(|i| record.get(i)).map(str::to_string),
        );
    }
    Ok(out)
}

#[cfg(test)]
#[path = "portfolio_file_tests.rs"]
mod tests;
