//! `ducklens import transactions FILE`: a generic CSV with the header
//! `date,kind,symbol,quantity,price,amount,fees,notes` (columns in any order; `symbol`,
//! `quantity`, `price`, `amount`, `fees` and `notes` may be blank where the kind needs none).
//!
//! Amounts are written as positive magnitudes; the kind gives the sign (a WITHDRAWAL takes
//! cash), except INTEREST, which is signed (negative = paid). A BUY or SELL leaves `amount`
//! blank: it is quantity × price ± fees. A SPLIT writes its ratio in `quantity` as `2:1`
//! (or `3:2`, `1:10`). A bad row names its line; nothing of the file is used then.

use crate::domain::ledger::{Kind, Source, Split, Transaction};
use crate::domain::parse::parse_decimal;
use crate::domain::symbol::Symbol;

const COLUMNS: [&str; 8] = [
    "date", "kind", "symbol", "quantity", "price", "amount", "fees", "notes",
];

/// Parses the whole file or names the first bad line (`name:LINE: field: problem`).
pub fn parse_transactions(text: &str, name: &str) -> Result<Vec<Transaction>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{name}:1: {e}"))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let mut at = [usize::MAX; 8];
    for (slot, column) in at.iter_mut().zip(COLUMNS) {
        if let Some(i) = header.iter().position(|h| h == column) {
            *slot = i;
        }
    }
    for required in [0, 1] {
        if at[required] == usize::MAX {
            return Err(format!(
                "{name}:1: the header has no {} column (expected {})",
                COLUMNS[required],
                COLUMNS.join(",")
            ));
        }
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("{name}:{line}: {e}"))?;
        let field = |k: usize| {
            record
                .get(at[k])
                .map(str::trim)
                .filter(|v| !v.is_empty() && at[k] != usize::MAX)
        };
        let t = row(&field).map_err(|e| format!("{name}:{line}: {e}"))?;
        out.push(t.with_source(Source::Import));
    }
    Ok(out)
}

fn row<'a>(field: &dyn Fn(usize) -> Option<&'a str>) -> Result<Transaction, String> {
    let date = field(0)
        .ok_or("date: missing")?
        .parse()
        .map_err(|_| format!("date: {:?} is not YYYY-MM-DD", field(0).unwrap_or("")))?;
    let kind: Kind = field(1)
        .ok_or("kind: missing")?
        .parse()
        .map_err(|e| format!("kind: {e}"))?;
    let number = |k: usize, name: &str| -> Result<Option<rust_decimal::Decimal>, String> {
        field(k)
            .map(|v| parse_decimal(v).map_err(|e| format!("{name}: {e}")))
            .transpose()
    };
    let symbol = field(2)
        .map(|s| Symbol::parse(s).map_err(|e| format!("symbol: {e}")))
        .transpose()?;
    let need_symbol = || symbol.clone().ok_or(format!("symbol: a {kind} needs one"));
    let need = |v: Option<rust_decimal::Decimal>, name: &str| {
        v.ok_or(format!("{name}: a {kind} needs one"))
    };
    let fees = number(6, "fees")?.unwrap_or_default();
    let t = match kind {
        Kind::Buy | Kind::Sell | Kind::OpeningPosition | Kind::Adjustment => {
            let q = need(number(3, "quantity")?, "quantity")?;
            let p = need(number(4, "price")?, "price")?;
            let s = need_symbol()?;
            match kind {
                Kind::Buy => Transaction::buy(date, s, q, p, fees),
                Kind::Sell => Transaction::sell(date, s, q, p, fees),
                Kind::OpeningPosition => Transaction::opening_position(date, s, q, p),
                _ => Transaction::adjustment(date, s, q, p),
            }
        }
        Kind::Split => {
            let ratio: Split = field(3)
                .ok_or("quantity: a SPLIT needs its ratio, e.g. 2:1")?
                .parse()?;
            Transaction::split(date, need_symbol()?, ratio)
        }
        Kind::Dividend => {
            Transaction::dividend(date, need_symbol()?, need(number(5, "amount")?, "amount")?)
        }
        Kind::Interest => {
            let amount = need(number(5, "amount")?, "amount")?;
            Transaction {
                amount,
                ..Transaction::money(date, kind, amount)
            }
        }
        _ => {
            let amount = need(number(5, "amount")?, "amount")?;
            if amount <= rust_decimal::Decimal::ZERO {
                return Err(format!("amount: write a positive amount, got {amount}"));
            }
            Transaction::money(date, kind, amount)
        }
    };
    Ok(t.with_notes(field(7).map(str::to_string)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_file_of_every_kind_and_a_bad_line() {
        let text = "date,kind,symbol,quantity,price,amount,fees,notes\n\
                    2026-01-02,DEPOSIT,,,,1000,,first\n\
                    2026-01-05,buy,AAA,10,50,,1,\n\
                    2026-02-02,SPLIT,AAA,2:1,,,,\n\
                    2026-03-01,WITHDRAWAL,,,,100,,\n";
        let txs = parse_transactions(text, "t.csv").unwrap();
        // BUY: −(10 × 50 + 1) = −501; WITHDRAWAL −100
        let amounts: Vec<_> = txs.iter().map(|t| t.amount).collect();
        assert_eq!(amounts, vec![dec!(1000), dec!(-501), dec!(0), dec!(-100)]);
        assert_eq!(txs[2].split, Some(Split::new(2, 1).unwrap()));
        let bad = "date,kind,symbol,quantity,price,amount,fees,notes\n\
                   2026-01-02,DEPOSIT,,,,1000,,\n\
                   2026-01-05,BUY,AAA,ten,50,,,\n";
        assert_eq!(
            parse_transactions(bad, "t.csv")
                .unwrap_err()
                .split(": ")
                .take(2)
                .collect::<Vec<_>>(),
            vec!["t.csv:3", "quantity"]
        );
    }
}
