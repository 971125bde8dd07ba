//! What a transaction is, where it came from, and how lots are costed.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Kind {
    Buy,
    Sell,
    Deposit,
    Withdrawal,
    Dividend,
    Fee,
    Interest,
    MarginInterest,
    Split,
    MarginBorrow,
    MarginRepay,
    OpeningPosition,
    OpeningCash,
    OpeningMargin,
    Adjustment,
}

pub const KINDS: &[(Kind, &str)] = &[
    (Kind::Buy, "BUY"),
    (Kind::Sell, "SELL"),
    (Kind::Deposit, "DEPOSIT"),
    (Kind::Withdrawal, "WITHDRAWAL"),
    (Kind::Dividend, "DIVIDEND"),
    (Kind::Fee, "FEE"),
    (Kind::Interest, "INTEREST"),
    (Kind::MarginInterest, "MARGIN_INTEREST"),
    (Kind::Split, "SPLIT"),
    (Kind::MarginBorrow, "MARGIN_BORROW"),
    (Kind::MarginRepay, "MARGIN_REPAY"),
    (Kind::OpeningPosition, "OPENING_POSITION"),
    (Kind::OpeningCash, "OPENING_CASH"),
    (Kind::OpeningMargin, "OPENING_MARGIN"),
    (Kind::Adjustment, "ADJUSTMENT"),
];

impl Kind {
    pub fn as_str(self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, s)| *s)
            .unwrap_or("?")
    }

    /// The sign of the cash effect of a money kind given as a magnitude: −1 for money out.
    /// INTEREST is signed by the caller, so it counts as +1 here.
    pub fn money_sign(self) -> i8 {
        match self {
            Kind::Withdrawal | Kind::Fee | Kind::MarginInterest | Kind::MarginRepay | Kind::Buy => {
                -1
            }
            _ => 1,
        }
    }

    /// Kinds that name a symbol.
    pub fn needs_symbol(self) -> bool {
        matches!(
            self,
            Kind::Buy
                | Kind::Sell
                | Kind::Dividend
                | Kind::Split
                | Kind::OpeningPosition
                | Kind::Adjustment
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        let upper = s.trim().to_ascii_uppercase().replace([' ', '-'], "_");
        KINDS
            .iter()
            .find(|(_, name)| *name == upper)
            .map(|(k, _)| *k)
            .ok_or_else(|| {
                let names: Vec<&str> = KINDS.iter().map(|(_, n)| *n).collect();
                format!("unknown kind {s:?} (one of {})", names.join(", "))
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Manual,
    Import,
    Swap,
    Signal,
    Opening,
    /// A split or dividend DuckLens proposed from the stored prices and the user confirmed.
    Proposal,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::Import => "import",
            Source::Swap => "swap",
            Source::Signal => "signal",
            Source::Opening => "opening",
            Source::Proposal => "proposal",
        }
    }
}

impl FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Source, String> {
        Ok(match s {
            "manual" => Source::Manual,
            "import" => Source::Import,
            "swap" => Source::Swap,
            "signal" => Source::Signal,
            "opening" => Source::Opening,
            "proposal" => Source::Proposal,
            other => return Err(format!("unknown source {other:?}")),
        })
    }
}

/// A split of `to` new shares for every `from` old ones: 2:1 is {to 2, from 1}, a 1:10
/// reverse split {to 1, from 10}, 3:2 {to 3, from 2}.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Split {
    pub to: u32,
    pub from: u32,
}

impl Split {
    pub fn new(to: u32, from: u32) -> Result<Split, String> {
        if to == 0 || from == 0 {
            return Err(format!("ratio: {to}:{from} has a zero side"));
        }
        if to == from {
            return Err(format!("ratio: {to}:{from} changes nothing"));
        }
        Ok(Split { to, from })
    }

    /// Shares after the split per share before.
    pub fn factor(self) -> Decimal {
        Decimal::from(self.to) / Decimal::from(self.from)
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.to, self.from)
    }
}

impl FromStr for Split {
    type Err = String;
    /// `2:1`, `3-2`, `1/10`, or a bare `4` (4:1).
    fn from_str(s: &str) -> Result<Split, String> {
        let bad = || format!("ratio: {s:?} is not a split ratio like 2:1, 3:2 or 1:10");
        let parts: Vec<&str> = s.trim().split([':', '/', '-']).collect();
        let (to, from) = match parts.as_slice() {
            [to] => (to.trim().parse().map_err(|_| bad())?, 1),
            [to, from] => (
                to.trim().parse().map_err(|_| bad())?,
                from.trim().parse().map_err(|_| bad())?,
            ),
            _ => return Err(bad()),
        };
        Split::new(to, from)
    }
}

/// How a sale's cost is taken from the lots (`[ledger] cost_method`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CostMethod {
    /// The oldest lots first.
    #[default]
    Fifo,
    /// One pooled lot at the average cost per share.
    Average,
}
