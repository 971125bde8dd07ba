//! Ticker symbols: validated once at the edge, then trusted everywhere.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A validated, upper-case ticker: 1–10 of `A–Z`, `0–9`, `.` and `-`, starting with a
/// letter or digit and not ending with `.` or `-` (so `..` or `-` is never a symbol).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Symbol(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    #[error("symbol is empty")]
    Empty,
    #[error("symbol {0:?} is longer than 10 characters")]
    TooLong(String),
    #[error("symbol {0:?} may only hold letters, digits, '.' and '-'")]
    BadCharacter(String),
    #[error("symbol {0:?} must start and end with a letter or digit")]
    BadEdge(String),
}

impl Symbol {
    pub fn parse(raw: &str) -> Result<Self, SymbolError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(SymbolError::Empty);
        }
        let upper = trimmed.to_ascii_uppercase();
        if upper.chars().count() > 10 {
            return Err(SymbolError::TooLong(trimmed.to_string()));
        }
        if !upper
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(SymbolError::BadCharacter(trimmed.to_string()));
        }
        let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !alnum(upper.chars().next()) || !alnum(upper.chars().last()) {
            return Err(SymbolError::BadEdge(trimmed.to_string()));
        }
        Ok(Symbol(upper))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Symbol {
    type Error = SymbolError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Symbol::parse(&value)
    }
}

impl From<Symbol> for String {
    fn from(value: Symbol) -> Self {
        value.0
    }
}

impl std::str::FromStr for Symbol {
    type Err = SymbolError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Symbol::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_alone_or_at_an_edge_is_not_a_symbol() {
        for bad in ["..", "-", ".", "-A", "A.", ".SPY"] {
            assert!(Symbol::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn accepts_and_upper_cases() {
        assert_eq!(Symbol::parse(" brk.b ").unwrap().as_str(), "BRK.B");
        assert_eq!(Symbol::parse("rds-a").unwrap().as_str(), "RDS-A");
        assert_eq!(Symbol::parse("ABCDEFGHIJ").unwrap().as_str(), "ABCDEFGHIJ");
    }

    #[test]
    fn rejects_bad_symbols() {
        assert_eq!(Symbol::parse("  "), Err(SymbolError::Empty));
        assert!(matches!(
            Symbol::parse("ABCDEFGHIJK"),
            Err(SymbolError::TooLong(_))
        ));
        assert!(matches!(
            Symbol::parse("AB C"),
            Err(SymbolError::BadCharacter(_))
        ));
        assert!(matches!(
            Symbol::parse("ÄPL"),
            Err(SymbolError::BadCharacter(_))
        ));
    }
}
